import type { Proposal } from './adminTypes';

const text = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(', ') : String(value ?? ''));

/** One line saying what a proposal changes, from its action and payload (no DOM: unit tested). */
export function describeProposal(proposal: Pick<Proposal, 'action' | 'payload'>): string {
  const p = proposal.payload;
  switch (proposal.action) {
    case 'addMember':
      return `Add member ${text(p['mspId'])} (${text(p['name'])}) with roles ${text(p['roles'])}`;
    case 'removeMember':
      return `Remove member ${text(p['mspId'])}`;
    case 'accredit':
      return `Accredit ${text(p['certifier'])} for ${text(p['countries'])}, topics ${text(p['claimTopics'])}, up to ${text(p['maxAssuranceLevel'])} assurance`;
    case 'deaccredit':
      return `Revoke the accreditation of ${text(p['certifier'])}`;
    case 'publishRuleSet':
      return `Publish a banking rule set effective from ${text(p['effectiveFrom'])}`;
    default:
      return `${proposal.action}`;
  }
}

/** How many more approvals a proposal needs to execute: a majority of the active members. */
export function approvalsMissing(approvals: number, activeMembers: number): number {
  return Math.max(0, Math.floor(activeMembers / 2) + 1 - approvals);
}

/** A 403 of the approve route, said so that the person knows what to do. */
export const APPROVE_FORBIDDEN = 'Only an admin key can approve proposals. You are signed in with a key of another role: sign out and sign in with your organisation\'s admin key.';
