import { ApiError, type ApiClient } from '../shared/apiClient';
import { announce, h, replaceChildren } from '../shared/dom';
import { FINAL_STATES, STATE_LABELS } from './counterFormat';
import type { RecentVerification, SessionCreated, SessionStatus } from './counterTypes';
import { recentTable } from './recentTable';
import { sessionForm, type SessionRequest } from './sessionForm';
import { followSession } from './sessionFollower';
import { sessionView, type SessionView } from './sessionView';
import { verdictView } from './verdictView';

const RECENT_SHOWN = 20;

function problemText(error: unknown): string {
  return error instanceof ApiError ? `${error.message} (${error.code})` : (error as Error).message;
}

/**
 * The bank counter: a form to create a session, the session's QR code followed live until its
 * verdict, and the bank's recent verifications (refreshed after each verdict).
 */
export function counterPage(main: HTMLElement, status: HTMLElement, client: ApiClient, signOut: () => void): void {
  const sessionSlot = h('div', { class: 'counter-slot' });
  const verdictSlot = h('div', { class: 'counter-slot' });
  const recentSlot = h('div', { class: 'counter-slot' });
  let following: AbortController | undefined;
  let countdown: ReturnType<typeof setInterval> | undefined;

  /** A refused key (wrong, revoked or of another role) cannot do anything here: ask for it again. */
  function keyRefused(error: unknown): boolean {
    if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) return false;
    following?.abort();
    signOut();
    return true;
  }

  async function refreshRecent(): Promise<void> {
    try {
      const { verifications } = await client.get<{ verifications: RecentVerification[] }>(`/v1/verifications?limit=${RECENT_SHOWN}`);
      replaceChildren(recentSlot, recentTable(verifications));
    } catch (error) {
      if (keyRefused(error)) return;
      replaceChildren(recentSlot, h('section', { class: 'card' }, h('h2', {}, 'Recent verifications'), h('p', { class: 'warning' }, `Could not load them: ${problemText(error)}`)));
    }
  }

  function show(view: SessionView, current: SessionStatus): void {
    view.setState(current.state);
    if (FINAL_STATES.has(current.state)) {
      clearInterval(countdown);
      view.end();
      replaceChildren(verdictSlot, verdictView(current));
      const label = STATE_LABELS[current.state].text;
      announce(status, `Session ${label.toLowerCase()}.`, current.state === 'verified' ? 'ok' : 'error');
      void refreshRecent();
    } else if (current.state === 'pending') {
      announce(status, 'The customer answered; checking against the ledger…');
    }
  }

  async function create(request: SessionRequest, button: HTMLButtonElement): Promise<void> {
    following?.abort();
    clearInterval(countdown);
    replaceChildren(sessionSlot);
    replaceChildren(verdictSlot);
    button.disabled = true;
    announce(status, 'Creating the session…');
    let created: SessionCreated;
    try {
      created = await client.post<SessionCreated>('/v1/sessions?qr=svg', request);
    } catch (error) {
      if (keyRefused(error)) return;
      announce(status, `The session could not be created: ${problemText(error)}`, 'error');
      return;
    } finally {
      button.disabled = false;
    }
    const view = sessionView(created);
    view.setState('open');
    view.tick(Date.now());
    countdown = setInterval(() => {
      if (!view.tick(Date.now())) clearInterval(countdown);
    }, 1000);
    replaceChildren(sessionSlot, view.element);
    announce(status, 'Session created: the customer can scan the QR code now.', 'ok');
    const controller = new AbortController();
    following = controller;
    try {
      await followSession(client, created.sessionId, (current) => show(view, current), controller.signal);
    } catch (error) {
      announce(status, `Following the session failed: ${problemText(error)}`, 'error');
    }
  }

  const form = sessionForm(
    (request) => void create(request, form.querySelector('button[type="submit"]') as HTMLButtonElement),
    (message) => announce(status, message, 'error'),
  );
  replaceChildren(main, form, sessionSlot, verdictSlot, recentSlot);
  void refreshRecent();
}
