import { h } from '../shared/dom';
import { STATE_LABELS, timeLeft } from './counterFormat';
import type { SessionCreated, SessionState } from './counterTypes';

/** The parts of the session card the page updates. */
export interface SessionView {
  element: HTMLElement;
  setState(state: SessionState): void;
  /** Updates the countdown; false once the session has expired. */
  tick(nowMs: number): boolean;
  /** Stops showing time left: the session has its final state. */
  end(): void;
}

/**
 * The session the customer scans: its QR code large (the gateway's SVG as an image from a data:
 * URL, never as markup in the page), the wallet link, the countdown and the live state.
 */
export function sessionView(created: SessionCreated): SessionView {
  const link = created.walletLink ?? created.uri;
  const state = h('span', { class: 'badge warn', 'data-testid': 'session-state' }, STATE_LABELS.open.text);
  const countdown = h('span', { 'data-testid': 'session-countdown' });
  const svg = created.qr?.svg;
  const element = h('section', { class: 'card', 'aria-labelledby': 'session-title', 'data-testid': 'session' },
    h('h2', { id: 'session-title' }, 'Ask the customer to scan this code'),
    svg
      ? h('img', { class: 'counter-qr', src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt: 'QR code of the verification session: scan it with the KYC wallet', 'data-testid': 'session-qr' })
      : h('p', { class: 'warning' }, 'The gateway sent no QR code image; give the customer the link below.'),
    h('p', {}, 'Or open this link on the customer\'s phone: ', h('a', { href: link, 'data-testid': 'wallet-link', class: 'mono', rel: 'noopener' }, created.walletLink ? 'open the wallet' : link)),
    h('dl', {},
      h('dt', {}, 'State'), h('dd', { 'aria-live': 'polite' }, state),
      h('dt', {}, 'Expires in'), h('dd', {}, countdown),
      h('dt', {}, 'Session'), h('dd', { class: 'mono' }, created.sessionId),
    ),
  );
  return {
    element,
    setState(next) {
      const label = STATE_LABELS[next];
      state.className = `badge ${label.kind}`;
      state.textContent = label.text;
      state.dataset['state'] = next;
    },
    tick(nowMs) {
      const left = timeLeft(created.expiresAt, nowMs);
      countdown.textContent = left ?? 'expired';
      return left !== undefined;
    },
    end() {
      countdown.textContent = '— (session ended)';
    },
  };
}
