import type { BankSession, WalletSubmission } from '@kyc-ledger/crypto/dist/bankSessionFormat.js';
import { createApiClient } from '../shared/apiClient';
import { announce, byId, h, replaceChildren } from '../shared/dom';
import { attestationProgress, type AttestationProgress } from './attestationProgress';
import { checkSession, type TrustedSession } from './bankTrust';
import { detailsView } from './detailsView';
import { qrScanner } from './qrScanner';
import { requestView } from './requestView';
import { fragmentSessionUri, sessionUriFrom } from './sessionLink';
import { outcomeView, sessionView, type Verdict } from './sessionView';
import { setupView } from './setupView';
import { UnlockedWallet } from './unlockedWallet';
import { WalletStore } from './walletStore';

/** How often the page asks whether the certifier has registered the attestation. */
const STATUS_POLL_MS = 3000;

/** Moves focus to the new screen's heading, so keyboard and screen-reader users start there. */
function focusHeading(container: HTMLElement): void {
  const heading = container.querySelector('h2');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** POSTs JSON to another member's gateway (the bank's submitUrl); the answer's JSON body, or a coded error. */
async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), redirect: 'error', credentials: 'omit', referrerPolicy: 'no-referrer' });
  let parsed: Record<string, unknown> = {};
  try {
    parsed = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON: the status says enough
  }
  return { status: response.status, body: parsed };
}

/**
 * The wallet page: create or unlock the wallet, enter details and get the attestation request,
 * follow it until attested, then open bank sessions (deep link in the fragment, QR scan or paste)
 * and consent or refuse.
 */
export async function startWallet(): Promise<void> {
  const main = byId('main');
  const status = byId('status');
  const account = byId('account');
  const store = await WalletStore.open();
  const api = createApiClient();
  const context = { origin: location.origin, rpId: location.hostname };
  let wallet: UnlockedWallet | undefined;
  let pendingUri = fragmentSessionUri(location.hash);
  let stopPolling = () => {};

  const show = (...children: (HTMLElement | false | undefined)[]) => {
    stopPolling();
    replaceChildren(main, ...children);
    focusHeading(main);
  };
  const fail = (e: unknown) => announce(status, (e as Error).message, 'error');

  window.addEventListener('hashchange', () => {
    const uri = fragmentSessionUri(location.hash);
    if (!uri) return;
    pendingUri = uri;
    if (wallet) void openSession(uri);
  });

  function sessionEntry(): HTMLElement {
    const input = h('input', { id: 'session-link', name: 'session-link', type: 'url', autocomplete: 'off', spellcheck: 'false', inputmode: 'url' });
    const form = h(
      'form',
      { class: 'card', 'aria-labelledby': 'open-title' },
      h('h2', { id: 'open-title' }, 'A bank asks who you are'),
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => show(qrScanner((uri) => void openSession(uri), home)) }, 'Scan the QR code')),
      h('label', { for: 'session-link' }, 'Or paste the bank\'s link'),
      input,
      h('button', { type: 'submit', class: 'secondary' }, 'Open'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const uri = sessionUriFrom(input.value);
      if (uri) void openSession(uri);
      else announce(status, 'That is not a kyc-ledger session link.', 'error');
    });
    return form;
  }

  function home(): void {
    const w = wallet as UnlockedWallet;
    history.replaceState(null, '', location.pathname);
    const request = w.bundle?.request;
    if (!request) {
      show(
        detailsView(async (input) => {
          try {
            await w.commit(input.fields);
            await w.requestAttestation(input);
            announce(status, 'Your attestation request is ready: give it to the certifier.', 'ok');
            home();
          } catch (e) {
            fail(e);
          }
        }),
      );
      return;
    }
    const view = requestView(request);
    show(sessionEntry(), view.element);
    const attested = w.bundle?.attested;
    if (attested?.attestationId === request.attestationId) {
      // Seen active once is enough (the bank checks the status itself at each verification): asking
      // again would tell the home gateway, a certifier's, that this person is about to use it.
      view.showProgress({ state: 'active', certifier: attested.certifier });
      return;
    }
    // Shown first when attested: the request is then only a record.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let active = true;
    stopPolling = () => {
      active = false;
      if (timer) clearTimeout(timer);
    };
    const poll = async () => {
      try {
        const progress = await readProgress();
        view.showProgress(progress);
        if (progress.state === 'active') return;
      } catch {
        // offline or the gateway is busy: try again later
      }
      if (active) timer = setTimeout(() => void poll(), STATUS_POLL_MS);
    };
    void poll();
  }

  /** Where the wallet's attestation stands; records it as attested once it is active. */
  async function readProgress(): Promise<AttestationProgress> {
    const w = wallet as UnlockedWallet;
    const request = w.bundle?.request;
    if (!request) return { state: 'waiting' };
    const progress = attestationProgress(await api.get(`/v1/public/attestations/${encodeURIComponent(request.request.subject)}/status`), request.attestationId);
    if (progress.state === 'active') await w.markAttested(progress.certifier);
    return progress;
  }

  async function openSession(uri: string): Promise<void> {
    pendingUri = undefined;
    const w = wallet as UnlockedWallet;
    announce(status, 'Checking who is asking…');
    if (w.bundle?.request && !w.bundle.attested) {
      // Opened straight from a link: the home screen may not have seen the attestation yet.
      await readProgress().catch(() => undefined);
    }
    let check;
    try {
      check = await checkSession(uri, { api, pins: store });
    } catch (e) {
      fail(e);
      return;
    }
    if (!check.ok) announce(status, 'This request could not be verified. Do not share anything.', 'error');
    else announce(status, `${check.bankName} (${check.session.bank.mspId}), verified, asks for ${check.session.fields.length} details.`, 'ok');
    show(
      sessionView(check, {
        cannotAnswer: (s) => w.cannotAnswer(s),
        disclosedValues: (s) => w.disclosedValues(s),
        onConsent: () => consent(check as TrustedSession),
        onRefuse: () => refuse(check as TrustedSession),
        onDismiss: home,
      }),
    );
  }

  async function consent(check: TrustedSession): Promise<void> {
    let submission: WalletSubmission;
    try {
      submission = await (wallet as UnlockedWallet).consent(check.session);
    } catch (e) {
      fail(e);
      return;
    }
    announce(status, `Sending your consent to ${check.bankName}…`);
    let reply;
    try {
      reply = await postJson(check.session.submitUrl, submission);
    } catch {
      announce(status, `${check.bankName} could not be reached. Nothing was recorded; try again.`, 'error');
      return;
    }
    if (reply.status !== 200) {
      const code = typeof reply.body['code'] === 'string' ? reply.body['code'] : `HTTP_${reply.status}`;
      const detail = typeof reply.body['detail'] === 'string' ? reply.body['detail'] : 'the bank refused the submission';
      announce(status, `${detail} (${code})`, 'error');
      return;
    }
    const verdict = reply.body as unknown as Verdict;
    announce(status, verdict.verified ? `Verified by ${check.bankName}.` : `${check.bankName} could not verify you.`, verdict.verified ? 'ok' : 'error');
    show(outcomeView(check.bankName, { kind: 'verdict', verdict }, home));
  }

  async function refuse(check: TrustedSession): Promise<void> {
    const session: BankSession = check.session;
    let recorded = false;
    try {
      const reply = await postJson(new URL('refusals', session.submitUrl).href, { session });
      recorded = reply.status >= 200 && reply.status < 300;
    } catch {
      // The bank is unreachable: the refusal stays local and the session expires.
    }
    announce(status, 'You refused. Nothing was shared.', 'ok');
    show(outcomeView(check.bankName, { kind: 'refused', recorded }, home));
  }

  const unlocked = (w: UnlockedWallet) => {
    wallet = w;
    replaceChildren(account, h('span', { class: 'mono', title: w.identity.accountId, 'data-testid': 'account-id' }, `${w.identity.accountId.slice(0, 20)}…`));
    if (pendingUri) void openSession(pendingUri);
    else home();
  };

  const record = await store.identity();
  show(
    setupView(record ? 'unlock' : 'create', async (passphrase) => {
      announce(status, record ? 'Unlocking…' : 'Creating your key…');
      try {
        const w = record ? await UnlockedWallet.unlock(store, record, passphrase, context) : await UnlockedWallet.create(store, passphrase, context);
        announce(status, record ? 'Wallet unlocked.' : 'Your wallet is ready.', 'ok');
        unlocked(w);
      } catch (e) {
        fail(e);
      }
    }),
  );
}
