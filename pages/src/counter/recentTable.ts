import { h } from '../shared/dom';
import { localTime, STATE_LABELS } from './counterFormat';
import type { RecentVerification } from './counterTypes';

/** The bank's recent verifications (this gateway instance's), newest first. */
export function recentTable(items: readonly RecentVerification[]): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': 'recent-title' },
    h('h2', { id: 'recent-title' }, 'Recent verifications'),
    items.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'recent-verifications' }, 'None yet.')
      : h('div', { class: 'table-scroll' }, h('table', { class: 'counter-recent', 'data-testid': 'recent-verifications' },
        h('caption', { class: 'visually-hidden' }, 'Recent verifications, newest first'),
        h('thead', {}, h('tr', {}, ['Time', 'State', 'Reasons', 'Receipt transaction'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, items.map((item) => h('tr', { 'data-session': item.sessionId },
          h('td', {}, localTime(item.decidedAt)),
          h('td', {}, h('span', { class: `badge ${STATE_LABELS[item.state].kind}` }, STATE_LABELS[item.state].text)),
          h('td', { class: 'mono' }, item.reasons.join(', ') || '—'),
          h('td', { class: 'mono' }, item.receiptTransactionId ?? '—'),
        ))),
      )),
  );
}
