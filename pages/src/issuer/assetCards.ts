import { dataTable } from '../shared/dataTable';
import { h } from '../shared/dom';
import { shortDate } from '../admin/shortDate';
import { awaitingApproval, ruleSetStates } from './issuerLogic';
import type { Asset, Registration, StoredRuleSet } from './issuerTypes';

const badgeOf = { 'in force': 'ok', scheduled: 'warn', superseded: 'bad' } as const;

/** Every securities rule set version of the asset, which one is in force. */
export function ruleSetsCard(versions: readonly StoredRuleSet[], now: Date): HTMLElement {
  const states = ruleSetStates(versions, now);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'rule-sets-title', id: 'rule-sets' },
    h('h2', { id: 'rule-sets-title' }, 'Rule sets'),
    dataTable(
      'Securities rule set versions, oldest first',
      ['Version (hash)', 'State', 'Effective from', 'Published', 'Rules'],
      versions.map((v, i) => [
        h('span', { class: 'mono', title: v.hash }, `${v.hash.slice(0, 12)}…`),
        h('span', { class: `badge ${badgeOf[states[i] ?? 'superseded']}` }, states[i] ?? ''),
        shortDate(v.ruleSet.effectiveFrom),
        `${shortDate(v.publishedAt)} by ${v.publishedBy}`,
        Object.keys(v.ruleSet.rules ?? {}).join(', '),
      ]),
      'No rule set is published for this asset: every transfer check fails until one is in force.',
    ),
  );
}

/** The officer set, what awaits the officers' approvals, and every registration. */
export function registrationsCard(asset: Asset, registrations: readonly Registration[]): HTMLElement {
  const waiting = awaitingApproval(registrations);
  const { threshold, accounts } = asset.officers;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'registrations-title', id: 'registrations' },
    h('h2', { id: 'registrations-title' }, 'Registrations and officer approvals'),
    h('p', {}, `${asset.name}: ${threshold} of ${accounts.length} compliance officers must sign each approval.${asset.frozen ? ' The asset is frozen: unfreezing it needs their approvals.' : ''}`),
    h('p', { class: 'muted' }, 'A registration is written only with its officers\' approvals, so none is ever half-approved. What waits for the officers is the unfreeze of a frozen address.'),
    h('h3', {}, `Awaiting officer approvals (${waiting.length})`),
    dataTable('Frozen addresses awaiting approvals to unfreeze', ['Address', 'Investor', 'Frozen since'], waiting.map((r) => [h('span', { class: 'mono' }, r.address), r.investor, shortDate(r.updatedAt)]), 'Nothing awaits the officers.'),
    h('h3', {}, `All registrations (${registrations.length})`),
    dataTable(
      'Registrations of the asset',
      ['Address', 'Investor', 'Certifier', 'Status', 'Approved by'],
      registrations.map((r) => [
        h('span', { class: 'mono' }, r.address),
        r.investor,
        r.certifier,
        h('span', { class: `badge ${r.status === 'registered' ? (r.frozen ? 'warn' : 'ok') : 'bad'}` }, r.frozen && r.status === 'registered' ? 'frozen' : r.status),
        `${r.approvedBy.length} officers`,
      ]),
      'No address is registered for this asset.',
    ),
  );
}
