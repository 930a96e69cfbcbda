import { PROPOSAL_STATUSES, proposalInputSchema, proposalSchema } from '@kyc-ledger/api';
import { z } from 'zod';
import { AccreditationSchema, StoredRuleSetSchema, writeResult } from './ledgerResponseSchemas';
import { named } from './schemaRegistry';

// Request and answer schemas of the governance routes (governanceRoutes.ts). The proposal's own
// schemas are the shared contract's, so the gateway accepts exactly what the chaincode does.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a proposal id (64 lower-case hex digits)');

export const ProposalInputSchema = named(
  'ProposalInput',
  proposalInputSchema,
  'A governance action: addMember, removeMember, accredit, deaccredit, or publishRuleSet (a banking rule set, docs/compliance-rules.md)',
);
export const ProposalSchema = named('Proposal', proposalSchema, 'A governance proposal: the action, who approved it, and whether it was executed');
export const ProposalWriteResultSchema = writeResult('ProposalWriteResult', ProposalSchema, 'The proposal after the write, and the transaction that made it');
export const ProposalListSchema = named('ProposalList', z.object({ proposals: z.array(ProposalSchema).describe('newest first') }));
export const ProposalQuerySchema = z.strictObject({
  status: z.enum(PROPOSAL_STATUSES).optional().describe('only proposals in this status (default: all)'),
});
export const ProposalParamsSchema = z.strictObject({ id: hex64 });

export const AccreditationListSchema = named('AccreditationList', z.object({ accreditations: z.array(AccreditationSchema).describe('active and revoked, by certifier') }));
export const BankingRuleSetListSchema = named(
  'BankingRuleSetList',
  z.object({
    ruleSets: z.array(StoredRuleSetSchema).describe('every version of the consortium banking rule set, oldest effectiveFrom first'),
    inForce: z.string().nullable().describe('hash of the version in force when the request was answered (null: none yet)'),
  }),
);
