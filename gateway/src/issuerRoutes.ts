import { canonicalize } from 'json-canonicalize';
import type { z } from 'zod';
import {
  ApprovalDigestSchema, AssetSchema, DecisionSchema, HoldingAnswerSchema, RegistrationSchema, SecuritiesRuleSetInputSchema, StoredInvestorRecordSchema, StoredRuleSetSchema,
} from './ledgerResponseSchemas';
import {
  AssetWriteResultSchema, HoldingMoveResultSchema, InvestorErasureResultSchema, InvestorWriteResultSchema, RecoveryResultSchema, RegistrationListSchema,
  RegistrationWriteResultSchema, RegistryChangesPageSchema, ReplayResultSchema, RestrictionMessageSchema, RuleSetPublicationSchema, RuleSetVersionsSchema, TransferCheckAnswerSchema, TransferResultSchema,
} from './issuerResponseSchemas';
import type { RegistryAction } from '@kyc-ledger/api';
import { messageForTransferRestriction } from '@kyc-ledger/rules';
import { createRegistryBatcher, type RegistryBatcherOptions } from './registryBatcher';
import type { LedgerClient, SubmitOptions, SubmitResult } from './fabricClient';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';
import { replayDecision } from './replayDecision';
import { requireCertifier } from './requireCertifier';
import type { TransferCheckView } from './transferCheckView';
import { defineRoute, type RouteDefinition } from './routeDefinition';
import {
  AddressParamsSchema,
  ApprovalRequestSchema,
  ApprovalsBodySchema,
  AssetInputSchema,
  AssetParamsSchema,
  CodeParamsSchema,
  DecisionParamsSchema,
  HashParamsSchema,
  InvestorParamsSchema,
  InvestorRecordSchema,
  LocaleQuerySchema,
  OfficerChangeSchema,
  RecoveryRequestSchema,
  RegistrationRequestSchema,
  RegistryChangesQuerySchema,
  RuleSetSchema,
  TransferCheckRequestSchema,
  TransferRequestSchema,
} from './issuerSchemas';

const TAG = 'investor onboarding (issuer)';
const ok = (description: string, schema: z.ZodType, status = 200) => [{ status, description, schema }] as const;
const WRITE_ERRORS = [404, 409, 422, 502, 503] as const;
const READ_ERRORS = [404, 503] as const;

/** How often a decision or an asset freeze is submitted again after losing an MVCC race (see recordWithRetry). */
const RECORD_ATTEMPTS = 5;

/**
 * Recording a decision reads and rewrites each party investor's index of decision inputs (the
 * chaincode's decisionStore), so two decisions for one investor committed in the same block
 * conflict and one is invalidated. Nothing of it was written, so it is simply submitted again (a
 * new transaction, evaluated afresh). Freezing or unfreezing an asset advances its registry
 * sequence, as every registration batch of the asset does, so it is retried the same way.
 */
async function recordWithRetry<T>(submit: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await submit();
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === G.CONFLICT && attempt < RECORD_ATTEMPTS)) throw error;
    }
  }
}

interface IssuerRouteOptions {
  ledger: LedgerClient;
  /** The issuer's own MSP id: private-data writes are endorsed by its peer only. */
  mspId: string;
  /** Answers transfer checks (without record); default: the peer's `transfer:detect` every time. */
  transferChecks?: Pick<TransferCheckView, 'detect' | 'committed'>;
  /** The request time a check runs at (default: now). */
  now?: () => Date;
  /** How registry writes of one asset are coalesced into batch transactions (see registryBatcher.ts). */
  registryBatching?: Omit<RegistryBatcherOptions, 'committed'>;
}

/**
 * The issuer's routes (DESIGN.md flows 3 and 4). The gateway checks shape and role; the chaincode
 * checks ownership, approvals and rules again. Writes that touch only the issuer's private
 * collections are endorsed by the issuer's own peer, so investor attributes never reach another
 * org's peer.
 */
export function issuerRoutes({ ledger, mspId, transferChecks, now = () => new Date(), registryBatching }: IssuerRouteOptions): RouteDefinition[] {
  const privately: SubmitOptions = { endorsingOrganizations: [mspId] };
  const submitted = async <T>(fn: string, args: readonly string[], options?: SubmitOptions): Promise<SubmitResult<T>> => {
    const reply = await ledger.submit<T>(fn, args, options);
    if (reply.blockNumber !== undefined) transferChecks?.committed(reply.blockNumber);
    return reply;
  };
  const submit = async (fn: string, arg: unknown, options?: SubmitOptions, status = 200) => {
    const { result, transactionId } = await submitted<unknown>(fn, [typeof arg === 'string' ? arg : canonicalize(arg)], options);
    return { status, body: { transactionId, result }, transactionId };
  };
  const evaluate = async (fn: string, ...args: unknown[]) => ({ body: await ledger.evaluate<unknown>(fn, args.map((a) => (typeof a === 'string' ? a : canonicalize(a)))) });
  const registry = createRegistryBatcher(ledger, { ...registryBatching, committed: (block) => transferChecks?.committed(block) });
  const registryWrite = async (asset: string, action: RegistryAction, status = 200) => {
    const { result, transactionId } = await registry.apply(asset, action);
    return { status, body: { transactionId, result }, transactionId };
  };
  const route = <P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined>(
    spec: Omit<Parameters<typeof defineRoute<P, Q, B>>[0], 'tag' | 'access'>,
  ) => defineRoute<P, Q, B>({ ...spec, tag: TAG, access: 'issuer' });

  return [
    route({
      operationId: 'createAsset', method: 'post', path: '/v1/assets', summary: 'Create an asset with its compliance officer set',
      body: AssetInputSchema, responses: ok('created and committed', AssetWriteResultSchema, 201), errorStatuses: WRITE_ERRORS,
      handler: ({ body }) => submit(F.ASSET_CREATE, body, undefined, 201),
    }),
    route({
      operationId: 'getAsset', method: 'get', path: '/v1/assets/:asset', summary: 'An asset, its officer set and frozen flag',
      params: AssetParamsSchema, responses: ok('the asset', AssetSchema), errorStatuses: READ_ERRORS,
      handler: ({ params }) => evaluate(F.ASSET_GET, params.asset),
    }),
    route({
      operationId: 'changeOfficers', method: 'post', path: '/v1/assets/:asset/officers', summary: 'Replace the officer set (M-of-N of the current set)',
      params: AssetParamsSchema, body: OfficerChangeSchema, responses: ok('changed', AssetWriteResultSchema), errorStatuses: WRITE_ERRORS,
      handler: ({ params, body }) => submit(F.ASSET_CHANGE_OFFICERS, { asset: params.asset, ...body }),
    }),
    route({
      operationId: 'freezeAsset', method: 'post', path: '/v1/assets/:asset/freeze', summary: 'Freeze every transfer of the asset',
      params: AssetParamsSchema, responses: ok('frozen', AssetWriteResultSchema), errorStatuses: WRITE_ERRORS,
      handler: ({ params }) => recordWithRetry(() => submit(F.ASSET_FREEZE, params.asset)),
    }),
    route({
      operationId: 'unfreezeAsset', method: 'post', path: '/v1/assets/:asset/unfreeze', summary: 'Unfreeze the asset (M-of-N)',
      params: AssetParamsSchema, body: ApprovalsBodySchema, responses: ok('unfrozen', AssetWriteResultSchema), errorStatuses: WRITE_ERRORS,
      handler: ({ params, body }) => recordWithRetry(() => submit(F.ASSET_UNFREEZE, { asset: params.asset, ...body })),
    }),
    route({
      operationId: 'publishRuleSet', method: 'post', path: '/v1/assets/:asset/rule-sets', summary: 'Publish a securities rule set version',
      description: 'Versions are kept forever, identified by the SHA-256 of their canonical JSON, and take effect at effectiveFrom (never in the past).',
      params: AssetParamsSchema, body: RuleSetSchema, documentedBody: SecuritiesRuleSetInputSchema, responses: ok('published (or unchanged: the same content again)', RuleSetPublicationSchema, 201), errorStatuses: WRITE_ERRORS,
      handler: async ({ params, body }) => {
        if (body.scope !== undefined && body.scope !== params.asset) {
          throw new GatewayError(G.INVALID_ARGUMENT, 'the rule set\'s scope must be the asset of the path', { details: { problems: [`scope: must be ${params.asset}`] } });
        }
        return submit(F.ASSET_PUBLISH_RULE_SET, { ...body, scope: params.asset }, undefined, 201);
      },
    }),
    route({
      operationId: 'listRuleSets', method: 'get', path: '/v1/assets/:asset/rule-sets', summary: 'Every securities rule set version of the asset',
      params: AssetParamsSchema, responses: ok('the versions, oldest first', RuleSetVersionsSchema), errorStatuses: READ_ERRORS,
      handler: ({ params }) => evaluate(F.ASSET_RULE_SETS, params.asset),
    }),
    route({
      operationId: 'getRuleSet', method: 'get', path: '/v1/rule-sets/:hash', summary: 'A rule set version (banking or securities) by its hash',
      params: HashParamsSchema, responses: ok('the version', StoredRuleSetSchema), errorStatuses: READ_ERRORS,
      handler: ({ params }) => evaluate(F.ASSET_RULE_SET, params.hash),
    }),
    route({
      operationId: 'putInvestor', method: 'post', path: '/v1/investors', summary: 'Create or replace an investor record (private data)',
      body: InvestorRecordSchema, responses: ok('stored in the private collection; only its hash is on the channel', InvestorWriteResultSchema), errorStatuses: WRITE_ERRORS,
      handler: async ({ body }) => {
        const record = canonicalize({ ...body, issuer: mspId });
        const { result, transactionId } = await submitted<unknown>(F.INVESTOR_PUT, [], { ...privately, transientData: { investor: Buffer.from(record) } });
        return { body: { transactionId, result }, transactionId };
      },
    }),
    route({
      operationId: 'getInvestor', method: 'get', path: '/v1/investors/:certifier/:id', summary: 'An investor record of this issuer',
      params: InvestorParamsSchema, responses: ok('the record', StoredInvestorRecordSchema), errorStatuses: [403, 404, 410, 503],
      handler: async ({ params }) => {
        await requireCertifier(ledger, params.certifier);
        return evaluate(F.INVESTOR_GET, { issuer: mspId, certifier: params.certifier, id: params.id });
      },
    }),
    route({
      operationId: 'eraseInvestor', method: 'post', path: '/v1/investors/:certifier/:id/erase', summary: 'Erase an investor record and the personal inputs of its recorded decisions (purge)',
      description: 'Either party may ask first (the certifier at its own gateway); the other is then answered 410 ERASED. Verdicts and hashes stay.',
      params: InvestorParamsSchema, responses: ok('purged from every member peer', InvestorErasureResultSchema), errorStatuses: [...WRITE_ERRORS, 410],
      handler: async ({ params }) => {
        await requireCertifier(ledger, params.certifier);
        return submit(F.INVESTOR_ERASE, { issuer: mspId, certifier: params.certifier, id: params.id }, privately);
      },
    }),
    route({
      operationId: 'requestApproval', method: 'post', path: '/v1/assets/:asset/approval-requests', summary: 'The digest officers sign to approve an action',
      params: AssetParamsSchema, body: ApprovalRequestSchema, responses: ok('the action with its nonce, the digest, threshold and officers', ApprovalDigestSchema), errorStatuses: [404, 409, 503],
      handler: ({ params, body }) => evaluate(F.REGISTRATION_APPROVAL_REQUEST, { ...body, asset: params.asset }),
    }),
    route({
      operationId: 'registerAddress', method: 'post', path: '/v1/assets/:asset/registrations', summary: 'Register an investor address as authenticated (M-of-N)',
      params: AssetParamsSchema, body: RegistrationRequestSchema, responses: ok('registered', RegistrationWriteResultSchema, 201), errorStatuses: WRITE_ERRORS,
      handler: ({ params, body }) => registryWrite(params.asset, { action: 'register', ...body }, 201),
    }),
    route({
      operationId: 'listRegistrations', method: 'get', path: '/v1/assets/:asset/registrations', summary: 'Every registration of the asset',
      params: AssetParamsSchema, responses: ok('the registrations', RegistrationListSchema), errorStatuses: READ_ERRORS,
      handler: ({ params }) => evaluate(F.REGISTRATION_LIST, params.asset),
    }),
    route({
      operationId: 'listRegistryChanges', method: 'get', path: '/v1/assets/:asset/registry-changes', summary: 'The asset\'s registry changes in sequence order, a page at a time',
      description: 'Every registration, deregistration, freeze, unfreeze and recovery of an address, and every freeze and unfreeze of the asset, has a gapless sequence number per asset (from 1). Page on with fromSeq = the last seq + 1; head is the newest sequence number.',
      params: AssetParamsSchema, query: RegistryChangesQuerySchema, responses: ok('the changes from fromSeq', RegistryChangesPageSchema), errorStatuses: READ_ERRORS,
      handler: ({ params, query }) => evaluate(F.REGISTRATION_CHANGES, { asset: params.asset, fromSeq: query.fromSeq ?? 1, limit: query.limit ?? 100 }),
    }),
    route({
      operationId: 'getRegistration', method: 'get', path: '/v1/assets/:asset/registrations/:address', summary: 'One address\'s registration',
      params: AddressParamsSchema, responses: ok('the registration', RegistrationSchema), errorStatuses: READ_ERRORS,
      handler: ({ params }) => evaluate(F.REGISTRATION_GET, params),
    }),
    route({
      operationId: 'deregisterAddress', method: 'post', path: '/v1/assets/:asset/registrations/:address/deregister', summary: 'Deregister an address',
      params: AddressParamsSchema, responses: ok('deregistered', RegistrationWriteResultSchema), errorStatuses: WRITE_ERRORS,
      handler: ({ params }) => registryWrite(params.asset, { action: 'deregister', address: params.address }),
    }),
    route({
      operationId: 'freezeAddress', method: 'post', path: '/v1/assets/:asset/registrations/:address/freeze', summary: 'Freeze an address',
      params: AddressParamsSchema, responses: ok('frozen', RegistrationWriteResultSchema), errorStatuses: WRITE_ERRORS,
      handler: ({ params }) => registryWrite(params.asset, { action: 'freeze', address: params.address }),
    }),
    route({
      operationId: 'unfreezeAddress', method: 'post', path: '/v1/assets/:asset/registrations/:address/unfreeze', summary: 'Unfreeze an address (M-of-N)',
      params: AddressParamsSchema, body: ApprovalsBodySchema, responses: ok('unfrozen', RegistrationWriteResultSchema), errorStatuses: WRITE_ERRORS,
      handler: ({ params, body }) => registryWrite(params.asset, { action: 'unfreeze', address: params.address, ...body }),
    }),
    route({
      operationId: 'recoverAddress', method: 'post', path: '/v1/assets/:asset/registrations/:address/recover', summary: 'Move the investor to a new address (M-of-N), then the holding',
      params: AddressParamsSchema, body: RecoveryRequestSchema, responses: ok('recovered', RecoveryResultSchema), errorStatuses: WRITE_ERRORS,
      handler: async ({ params, body }) => {
        const moved = await registryWrite(params.asset, { action: 'recover', from: params.address, ...body });
        const holdings = await ledger.evaluate<{ holding: unknown }>(F.TRANSFER_HOLDING, [canonicalize(params)]);
        if (!holdings.holding) return moved;
        const follow = await submit(F.TRANSFER_RECOVER_HOLDINGS, { asset: params.asset, from: params.address }, privately);
        return { body: { ...moved.body, holdings: follow.body }, transactionId: moved.transactionId };
      },
    }),
    route({
      operationId: 'recoverHoldings', method: 'post', path: '/v1/assets/:asset/registrations/:address/recover-holdings', summary: 'Move a recovered address\'s holding to its new address',
      description: 'The recover route does this itself; this one repeats only the holding step (e.g. after it failed).',
      params: AddressParamsSchema, responses: ok('moved', HoldingMoveResultSchema), errorStatuses: WRITE_ERRORS,
      handler: ({ params }) => submit(F.TRANSFER_RECOVER_HOLDINGS, { asset: params.asset, from: params.address }, privately),
    }),
    route({
      operationId: 'checkTransfer', method: 'post', path: '/v1/assets/:asset/transfer-checks', summary: 'detectTransferRestriction: 0 = allowed, with every failing reason',
      description: 'With record=true the decision is recorded for replay: verdict and hashes in the issuer\'s private collection, each registered party\'s inputs in its investor collection (purged on erasure).',
      params: AssetParamsSchema, body: TransferCheckRequestSchema, responses: ok('the verdict', TransferCheckAnswerSchema), errorStatuses: [404, 409, 502, 503],
      handler: async ({ params, body }) => {
        const { record, locale, ...transfer } = body;
        const input = { asset: params.asset, ...transfer };
        if (!record) {
          const verdict = transferChecks ? await transferChecks.detect(input, now()) : await ledger.evaluate<unknown>(F.TRANSFER_DETECT, [canonicalize(input)]);
          return { body: withMessages(verdict, locale) };
        }
        // The committed transaction names the decision only; its content is read back privately
        // from the issuer's own peer, which has committed it when submit returns.
        const { result, transactionId } = await recordWithRetry(() => submitted<{ id: string }>(F.TRANSFER_RECORD, [canonicalize(input)], privately));
        const decision = await ledger.evaluate<{ verdict: unknown }>(F.TRANSFER_DECISION, [canonicalize({ asset: params.asset, id: result.id })]);
        return { body: { transactionId, result: { ...decision, verdict: withMessages(decision.verdict, locale) } }, transactionId };
      },
    }),
    route({
      operationId: 'restrictionMessage', method: 'get', path: '/v1/transfer-restrictions/:code', summary: 'messageForTransferRestriction',
      params: CodeParamsSchema, query: LocaleQuerySchema, responses: ok('the message in the locale (English when the locale is not supported)', RestrictionMessageSchema),
      handler: async ({ params, query }) => ({ body: { code: Number(params.code), message: messageForTransferRestriction(Number(params.code), query.locale ?? 'en') } }),
    }),
    route({
      operationId: 'executeTransfer', method: 'post', path: '/v1/assets/:asset/transfers', summary: 'Record an issuance or settled transfer in the cap table (only if allowed)',
      params: AssetParamsSchema, body: TransferRequestSchema, responses: ok('recorded', TransferResultSchema), errorStatuses: WRITE_ERRORS,
      handler: ({ params, body }) => submit(F.TRANSFER_EXECUTE, { asset: params.asset, ...body }, privately),
    }),
    route({
      operationId: 'getHolding', method: 'get', path: '/v1/assets/:asset/holdings/:address', summary: 'An address\'s holding and the asset\'s holder counts',
      params: AddressParamsSchema, responses: ok('the holding', HoldingAnswerSchema), errorStatuses: READ_ERRORS,
      handler: ({ params }) => evaluate(F.TRANSFER_HOLDING, params),
    }),
    route({
      operationId: 'getDecision', method: 'get', path: '/v1/assets/:asset/decisions/:id', summary: 'A recorded transfer decision',
      params: DecisionParamsSchema, responses: ok('the decision', DecisionSchema), errorStatuses: READ_ERRORS,
      handler: ({ params }) => evaluate(F.TRANSFER_DECISION, params),
    }),
    route({
      operationId: 'replayDecision', method: 'post', path: '/v1/assets/:asset/decisions/:id/replay', summary: 'Re-evaluate a recorded decision with the rule sets it names',
      description: 'outcome REPLAYED with the replayed verdict, or INPUTS_ERASED (no replay) when a party\'s investor record was erased.',
      params: DecisionParamsSchema, responses: ok('the recorded and replayed verdicts and whether they match', ReplayResultSchema), errorStatuses: READ_ERRORS,
      handler: async ({ params }) => ({ body: await replayDecision(ledger, params.asset, params.id) }),
    }),
  ] satisfies RouteDefinition[];
}

/** Adds a message in the wanted locale to a verdict and to each of its reasons. */
function withMessages(body: unknown, locale = 'en'): unknown {
  const add = (verdict: { reasons?: { code: number }[]; code?: number }) => ({
    ...verdict,
    message: messageForTransferRestriction(verdict.code ?? 0, locale),
    reasons: (verdict.reasons ?? []).map((r) => ({ ...r, message: messageForTransferRestriction(r.code, locale) })),
  });
  return body !== null && typeof body === 'object' && 'code' in body ? add(body as never) : body;
}

