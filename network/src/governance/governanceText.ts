import type { Accreditation, Member, Proposal } from '@kyc-ledger/api';
import type { GovernanceWrite, StoredBankingRuleSet } from './registryClient';
import { textTable } from './textTable';

// The human output of `kyc-network governance …` (--json prints the same data as JSON).

/** What a proposal changes, in a few words. */
export function proposalSubject(p: Proposal): string {
  switch (p.action) {
    case 'addMember':
      return `${p.payload.mspId} (${p.payload.roles.join(', ')})`;
    case 'removeMember':
      return p.payload.mspId;
    case 'accredit':
      return `${p.payload.certifier} ${p.payload.countries.join(',')} / ${p.payload.claimTopics.join(',')} ≤ ${p.payload.maxAssuranceLevel}`;
    case 'deaccredit':
      return p.payload.certifier;
    case 'publishRuleSet':
      return `banking rule set from ${String(p.payload.effectiveFrom)}`;
  }
}

export function proposalsText(proposals: readonly Proposal[]): string {
  if (proposals.length === 0) return 'no proposals';
  return textTable(
    ['id', 'action', 'subject', 'status', 'approvals', 'created'],
    proposals.map((p) => [p.id, p.action, proposalSubject(p), p.status, p.approvals.join(','), p.createdAt]),
  );
}

export function proposalText(p: Proposal): string {
  return [
    `proposal ${p.id}`,
    `  action     ${p.action}: ${proposalSubject(p)}`,
    `  status     ${p.status}${p.executedAt ? ` at ${p.executedAt}` : ''}`,
    `  proposer   ${p.proposer} at ${p.createdAt}`,
    `  approvals  ${p.approvals.join(', ')}`,
    `  payload    ${JSON.stringify(p.payload)}`,
  ].join('\n');
}

/** A committed proposal or approval: the proposal id first, since every next step needs it. */
export function writeText(verb: string, org: string, w: GovernanceWrite): string {
  const p = w.proposal;
  const state = p.status === 'executed' ? 'executed' : `open, approved by ${p.approvals.join(', ')}`;
  return `${verb} by ${org}: proposal ${p.id} (${p.action}: ${proposalSubject(p)}) is ${state}\n  transaction ${w.transactionId} in block ${w.blockNumber}`;
}

export function membersText(members: readonly Member[]): string {
  return textTable(['mspId', 'name', 'roles', 'status', 'since'], members.map((m) => [m.mspId, m.name, m.roles.join(','), m.status, m.removedAt ? `${m.since} – ${m.removedAt}` : m.since]));
}

export function accreditationsText(list: readonly Accreditation[]): string {
  if (list.length === 0) return 'no accreditations';
  return textTable(
    ['certifier', 'status', 'countries', 'claim topics', 'max assurance', 'valid'],
    list.map((a) => [a.certifier, a.revokedAt ? `${a.status} ${a.revokedAt}` : a.status, a.countries.join(','), a.claimTopics.join(','), a.maxAssuranceLevel, `${a.validFrom} – ${a.validUntil}`]),
  );
}

export function ruleSetsText(list: readonly StoredBankingRuleSet[], inForce: string | undefined): string {
  if (list.length === 0) return 'no banking rule set published';
  return textTable(
    ['hash', 'effective from', 'published', 'in force'],
    list.map((v) => [v.hash, v.ruleSet.effectiveFrom, v.publishedAt, v.hash === inForce ? 'yes' : '']),
  );
}
