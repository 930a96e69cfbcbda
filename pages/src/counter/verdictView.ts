import { h } from '../shared/dom';
import { localTime, STATE_LABELS } from './counterFormat';
import type { SessionStatus } from './counterTypes';
import { fieldLabel } from './sessionForm';

/** What the clerk is told for a refusal or an expiry (there is no verdict then). */
const NO_VERDICT: Partial<Record<SessionStatus['state'], string>> = {
  refused: 'The customer declined to share their data. Nothing was recorded on the ledger.',
  expired: 'The session expired before the customer answered. Create a new one.',
};

/**
 * The outcome of a session: the state in words, every reason (code and message), the disclosed
 * values in a table and the verdict's references (address, attestation, receipt transaction).
 */
export function verdictView(status: SessionStatus): HTMLElement {
  const label = STATE_LABELS[status.state];
  const verdict = status.verdict;
  const values = Object.entries(verdict?.fields ?? {});
  return h('section', { class: 'card', 'aria-labelledby': 'verdict-title', 'data-testid': 'verdict', 'data-state': status.state },
    h('h2', { id: 'verdict-title' }, h('span', { class: `badge ${label.kind} counter-verdict` }, label.text)),
    NO_VERDICT[status.state] && h('p', {}, NO_VERDICT[status.state]),
    status.refusedAt && h('p', { class: 'muted' }, `Refused at ${localTime(status.refusedAt)}`),
    verdict && verdict.reasons.length > 0 && [
      h('h3', {}, 'Reasons'),
      h('ul', { 'data-testid': 'verdict-reasons' }, verdict.reasons.map((r) => h('li', {}, h('span', { class: 'mono' }, r.code), ` — ${r.message}`))),
    ],
    verdict && [
      h('h3', {}, 'Disclosed values'),
      values.length > 0
        ? h('div', { class: 'table-scroll' }, h('table', { 'data-testid': 'disclosed-values' },
          h('caption', { class: 'visually-hidden' }, 'Values the customer disclosed'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Value'))),
          h('tbody', {}, values.map(([name, value]) => h('tr', { 'data-field': name }, h('th', { scope: 'row' }, fieldLabel(name)), h('td', {}, value)))),
        ))
        : h('p', { class: 'muted' }, status.verdictSource === 'ledger'
          ? 'Another instance of this gateway took the answer; only it holds the disclosed values.'
          : 'No values (they are shown only when the customer is verified).'),
      h('dl', {},
        h('dt', {}, 'Decided'), h('dd', {}, localTime(verdict.decidedAt)),
        verdict.address && [h('dt', {}, 'Address'), h('dd', { class: 'mono' }, verdict.address)],
        verdict.attestationId && [h('dt', {}, 'Attestation'), h('dd', { class: 'mono' }, verdict.attestationId)],
        verdict.certifier && [h('dt', {}, 'Certifier'), h('dd', {}, verdict.certifier)],
        verdict.receiptTransactionId && [h('dt', {}, 'Receipt transaction'), h('dd', { class: 'mono', 'data-testid': 'verdict-receipt' }, verdict.receiptTransactionId)],
      ),
    ],
  );
}
