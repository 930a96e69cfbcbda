import type { BankSession } from '@kyc-ledger/crypto/dist/bankSessionFormat.js';
import { h } from '../shared/dom';
import type { TrustedSession, UntrustedSession } from './bankTrust';
import { fieldLabel } from './fieldLabels';

/** What the session screen needs from the wallet and the page. */
export interface SessionViewOptions {
  /** Why the wallet cannot answer, or undefined. */
  cannotAnswer(session: BankSession): string | undefined;
  disclosedValues(session: BankSession): Record<string, string>;
  onConsent(): Promise<void>;
  onRefuse(): Promise<void>;
  onDismiss(): void;
}

function requestedList(session: BankSession, values?: Record<string, string>): HTMLElement {
  return h(
    'dl',
    { 'data-testid': 'session-fields' },
    session.fields.map((f) => [h('dt', {}, fieldLabel(f)), h('dd', { class: values ? '' : 'muted' }, values ? values[f] ?? '' : 'requested')]),
  );
}

/**
 * Who asks and for what. A verified session shows the bank's registry name, the fields with the
 * values consenting would disclose, and Consent / Refuse. A session that failed any check shows a
 * warning and no consent button.
 */
export function sessionView(check: TrustedSession | UntrustedSession, opts: SessionViewOptions): HTMLElement {
  if (!check.ok) {
    const claimed = check.session;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'session-title' },
      h('h2', { id: 'session-title' }, 'Do not share anything'),
      h('div', { class: 'warning', role: 'alert', 'data-testid': 'session-warning' }, check.message, h('span', { class: 'visually-hidden' }, ` (${check.code})`)),
      claimed && h('p', {}, `This request claims to come from ${claimed.bank.name} (${claimed.bank.mspId}) and asks for:`),
      claimed && requestedList(claimed),
      h('p', {}, 'Nothing was sent. If you are at a bank counter, tell the clerk.'),
      h('div', { class: 'row' }, h('button', { type: 'button', class: 'secondary', onclick: opts.onDismiss }, 'Close')),
    );
  }
  const { session } = check;
  const problem = opts.cannotAnswer(session);
  const consent = h('button', { type: 'button', 'data-testid': 'consent' }, `Share ${session.fields.length === 1 ? 'this detail' : `these ${session.fields.length} details`} with ${check.bankName}`);
  const refuse = h('button', { type: 'button', class: 'secondary', 'data-testid': 'refuse' }, 'Refuse');
  const busy = (run: () => Promise<void>) => () => {
    consent.disabled = true;
    refuse.disabled = true;
    void run().finally(() => {
      consent.disabled = false;
      refuse.disabled = false;
    });
  };
  consent.addEventListener('click', busy(opts.onConsent));
  refuse.addEventListener('click', busy(opts.onRefuse));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'session-title' },
    h('h2', { id: 'session-title' }, 'Who asks'),
    h('p', { 'data-testid': 'session-bank' }, h('strong', {}, `${check.bankName} (${session.bank.mspId})`), ', ', h('span', { class: 'badge ok' }, 'verified')),
    h('p', { class: 'muted' }, `Signed with the certificate ${session.bank.mspId} published on the network${check.pin === 'new' ? ' (first visit: its CA is now remembered)' : ''}. Expires ${new Date(session.expiresAt).toLocaleTimeString()}.`),
    h('h3', {}, 'What they ask for'),
    requestedList(session, problem ? undefined : opts.disclosedValues(session)),
    problem ? h('div', { class: 'warning', 'data-testid': 'session-warning' }, problem) : h('p', {}, 'Only these details are shared, with this bank only. Nothing else leaves this browser.'),
    h('div', { class: 'row' }, problem ? false : consent, refuse),
  );
}

/** The bank's verdict on the consented disclosure. */
export interface Verdict {
  verified: boolean;
  reasons?: { code?: string; message?: string }[];
  receiptTransactionId?: string;
}

/** The outcome screen: verified (with the receipt) or not (with every reason), or the refusal. */
export function outcomeView(bankName: string, outcome: { kind: 'verdict'; verdict: Verdict } | { kind: 'refused'; recorded: boolean }, onDone: () => void): HTMLElement {
  const done = h('button', { type: 'button', class: 'secondary', onclick: onDone }, 'Done');
  if (outcome.kind === 'refused') {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'outcome-title', 'data-testid': 'outcome' },
      h('h2', { id: 'outcome-title' }, 'You refused'),
      h('p', {}, outcome.recorded ? `${bankName} was told. Nothing about you was shared.` : `Nothing about you was shared. ${bankName} could not be told; the request will simply expire.`),
      done,
    );
  }
  const { verdict } = outcome;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'outcome-title', 'data-testid': 'outcome' },
    h('h2', { id: 'outcome-title' }, verdict.verified ? `Verified by ${bankName}` : `${bankName} could not verify you`),
    h('p', { 'data-testid': 'verdict', class: `badge wallet-badge ${verdict.verified ? 'ok' : 'bad'}` }, verdict.verified ? 'verified' : 'not verified'),
    (verdict.reasons ?? []).length > 0 && h('ul', {}, (verdict.reasons ?? []).map((r) => h('li', {}, `${r.message ?? ''} (${r.code ?? 'UNKNOWN'})`))),
    verdict.receiptTransactionId && h('p', { class: 'muted' }, 'Consent receipt: ', h('span', { class: 'mono' }, verdict.receiptTransactionId)),
    done,
  );
}
