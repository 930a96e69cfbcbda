import { ApiError, type ApiClient } from '../shared/apiClient';
import { dataTable } from '../shared/dataTable';
import { announce, h, replaceChildren } from '../shared/dom';
import type { Proposal } from './adminTypes';
import { APPROVE_FORBIDDEN, approvalsMissing, describeProposal } from './describeProposal';
import { shortDate } from './shortDate';

/** What the proposals card needs from the page. */
export interface ProposalsContext {
  client: ApiClient;
  status: HTMLElement;
  /** Active member orgs: how many approvals execute a proposal. */
  activeMembers: number;
  /** Reloads the whole console after a proposal executed (members or accreditations changed). */
  reloadAll: () => void;
}

const shortId = (id: string) => `${id.slice(0, 8)}…${id.slice(-4)}`;

/**
 * The open governance proposals, each with an Approve button. Approving is the admin key's
 * right only: a 403 is shown beside the proposal and announced, in words saying what to do.
 */
export function proposalsCard(context: ProposalsContext): HTMLElement {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading proposals…'));
  const card = h('section', { class: 'card', 'aria-labelledby': 'proposals-title', id: 'proposals' }, h('h2', { id: 'proposals-title' }, 'Open proposals'), body);

  async function approve(proposal: Proposal, button: HTMLButtonElement, note: HTMLElement): Promise<void> {
    button.disabled = true;
    replaceChildren(note);
    try {
      const { result } = await context.client.post<{ transactionId: string; result: Proposal }>(`/v1/governance/proposals/${proposal.id}/approve`, undefined);
      const executed = result.status === 'executed';
      announce(context.status, executed
        ? `Proposal ${shortId(proposal.id)} approved and executed.`
        : `Proposal ${shortId(proposal.id)} approved; approved by ${result.approvals.join(', ')}.`, 'ok');
      if (executed) context.reloadAll();
      else await load();
    } catch (error) {
      const message = error instanceof ApiError && error.status === 403 ? APPROVE_FORBIDDEN : `The approval failed: ${(error as Error).message}`;
      note.dataset['kind'] = 'error';
      replaceChildren(note, message);
      announce(context.status, message, 'error');
      button.disabled = false;
    }
  }

  async function load(): Promise<void> {
    try {
      const { proposals } = await context.client.get<{ proposals: Proposal[] }>('/v1/governance/proposals?status=open');
      replaceChildren(
        body,
        dataTable(
          'Open governance proposals',
          ['Proposal', 'Change', 'Proposed', 'Approvals', ''],
          proposals.map((p) => {
            const note = h('p', { class: 'proposal-note', role: 'status' });
            const button = h('button', { type: 'button', 'data-proposal': p.id }, 'Approve');
            button.addEventListener('click', () => void approve(p, button, note));
            const missing = approvalsMissing(p.approvals.length, context.activeMembers);
            return [
              h('span', { class: 'mono', title: p.id }, shortId(p.id)),
              describeProposal(p),
              `${shortDate(p.createdAt)} by ${p.proposer}`,
              h('span', { class: 'approvals' }, `${p.approvals.join(', ')} (${missing} more needed)`),
              h('div', {}, button, note),
            ];
          }),
          'No proposal is open.',
        ),
      );
    } catch (error) {
      replaceChildren(body, h('p', { 'data-kind': 'error' }, `Proposals could not be read: ${(error as Error).message}`));
    }
  }

  void load();
  return card;
}
