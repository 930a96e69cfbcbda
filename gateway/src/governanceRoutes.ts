import { ruleSetInForce, type StoredRuleSet } from '@kyc-ledger/rules';
import type { LedgerClient } from './fabricClient';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import {
  AccreditationListSchema,
  BankingRuleSetListSchema,
  ProposalInputSchema,
  ProposalListSchema,
  ProposalParamsSchema,
  ProposalQuerySchema,
  ProposalSchema,
  ProposalWriteResultSchema,
} from './governanceSchemas';
import { LedgerFunctions as F } from './ledgerFunctions';
import { MemberListSchema } from './registrySchemas';
import { canonicalJson } from '@kyc-ledger/api';
import { defineRoute, type RouteDefinition } from './routeDefinition';

const TAG = 'governance';

/** What the governance routes are built from. */
export interface GovernanceRouteOptions {
  /** The org's ledger client (its client identity): the reads. */
  ledger: LedgerClient;
  /**
   * A ledger client with the org's ADMIN identity: the only one the registry accepts proposals and
   * approvals from. Absent when the gateway has no admin identity configured (then no admin key
   * can be configured either, see gatewayConfig.ts).
   */
  adminLedger?: LedgerClient | undefined;
  /** Clock for "the rule set in force" (tests). */
  now?: () => Date;
}

/**
 * Consortium governance on every member's gateway: `admin` keys propose and approve the
 * registry's proposals, submitted with the org's admin identity; any key of the gateway reads
 * the proposals, the members, the accreditations and the banking rule sets with their hashes
 * (all of it is readable by every member's client identity on the ledger anyway). The chaincode
 * checks the admin identity and the majority itself; these routes are a convenience over it.
 */
export function governanceRoutes(options: GovernanceRouteOptions): RouteDefinition[] {
  const { ledger } = options;
  const now = options.now ?? (() => new Date());
  const admin = (): LedgerClient => {
    if (!options.adminLedger) throw new GatewayError(G.INVALID_CONFIG, 'this gateway has no admin identity configured (adminIdentity)');
    return options.adminLedger;
  };
  return [
    defineRoute({
      operationId: 'proposeGovernanceAction',
      method: 'post',
      path: '/v1/governance/proposals',
      tag: TAG,
      summary: 'Propose a registry change, approved by this org',
      description: 'Submitted with the org\'s admin identity; the proposer\'s approval counts. It executes as soon as admins of a majority of active member orgs approved (possibly at once).',
      access: 'admin',
      body: ProposalInputSchema,
      responses: [{ status: 201, description: 'the proposal (open, or executed)', schema: ProposalWriteResultSchema }],
      errorStatuses: [403, 404, 409, 502, 503],
      async handler({ body }) {
        const { result, transactionId } = await admin().submit<unknown>(F.REGISTRY_PROPOSE, [canonicalJson(body)]);
        return { status: 201, body: { transactionId, result }, transactionId };
      },
    }),
    defineRoute({
      operationId: 'listGovernanceProposals',
      method: 'get',
      path: '/v1/governance/proposals',
      tag: TAG,
      summary: 'Governance proposals, newest first',
      description: 'Any key of the gateway reads them (the admin console shows them to every staff key); only admin keys propose and approve.',
      access: 'anyKey',
      query: ProposalQuerySchema,
      responses: [{ status: 200, description: 'the proposals', schema: ProposalListSchema }],
      errorStatuses: [503],
      async handler({ query }) {
        const proposals = await ledger.evaluate<unknown[] | null>(F.REGISTRY_LIST_PROPOSALS, [query.status ?? '']);
        return { body: { proposals: proposals ?? [] } };
      },
    }),
    defineRoute({
      operationId: 'getGovernanceProposal',
      method: 'get',
      path: '/v1/governance/proposals/:id',
      tag: TAG,
      summary: 'One governance proposal with its approvals',
      access: 'anyKey',
      params: ProposalParamsSchema,
      responses: [{ status: 200, description: 'the proposal', schema: ProposalSchema }],
      errorStatuses: [404, 503],
      async handler({ params }) {
        return { body: await ledger.evaluate<unknown>(F.REGISTRY_GET_PROPOSAL, [params.id]) };
      },
    }),
    defineRoute({
      operationId: 'approveGovernanceProposal',
      method: 'post',
      path: '/v1/governance/proposals/:id/approve',
      tag: TAG,
      summary: 'Approve a proposal as this org; the approval that reaches a majority executes it',
      access: 'admin',
      params: ProposalParamsSchema,
      responses: [{ status: 200, description: 'the proposal after the approval', schema: ProposalWriteResultSchema }],
      errorStatuses: [403, 404, 409, 502, 503],
      async handler({ params }) {
        const { result, transactionId } = await admin().submit<unknown>(F.REGISTRY_APPROVE, [params.id]);
        return { body: { transactionId, result }, transactionId };
      },
    }),
    defineRoute({
      operationId: 'listGovernanceMembers',
      method: 'get',
      path: '/v1/governance/members',
      tag: TAG,
      summary: 'The member organisations, their roles and status',
      access: 'anyKey',
      responses: [{ status: 200, description: 'the members', schema: MemberListSchema }],
      errorStatuses: [503],
      async handler() {
        return { body: { members: (await ledger.evaluate<unknown[] | null>(F.REGISTRY_LIST_MEMBERS, [])) ?? [] } };
      },
    }),
    defineRoute({
      operationId: 'listAccreditations',
      method: 'get',
      path: '/v1/governance/accreditations',
      tag: TAG,
      summary: 'Every certifier\'s accreditation and scope, active or revoked',
      access: 'anyKey',
      responses: [{ status: 200, description: 'the accreditations', schema: AccreditationListSchema }],
      errorStatuses: [503],
      async handler() {
        return { body: { accreditations: (await ledger.evaluate<unknown[] | null>(F.REGISTRY_LIST_ACCREDITATIONS, [])) ?? [] } };
      },
    }),
    defineRoute({
      operationId: 'listBankingRuleSets',
      method: 'get',
      path: '/v1/governance/rule-sets',
      tag: TAG,
      summary: 'The consortium banking rule set versions with their hashes, and the one in force',
      access: 'anyKey',
      responses: [{ status: 200, description: 'the versions', schema: BankingRuleSetListSchema }],
      errorStatuses: [503],
      async handler() {
        const ruleSets = (await ledger.evaluate<StoredRuleSet[] | null>(F.REGISTRY_LIST_RULE_SETS, [])) ?? [];
        const inForce = ruleSetInForce(ruleSets.map((v) => ({ effectiveFrom: v.ruleSet.effectiveFrom, hash: v.hash })), now().toISOString());
        return { body: { ruleSets, inForce: inForce?.hash ?? null } };
      },
    }),
  ];
}
