import { registryChangesPageSchema, type TypesEqual } from '@kyc-ledger/api';
import { z } from 'zod';
import {
  AssetSchema, DecisionSchema, HoldingMoveSchema, InvestorErasureSchema, InvestorRecordSummarySchema, RegistrationSchema,
  StoredRuleSetSchema, TransferOutcomeSchema, TransferReasonSchema, TransferVerdictSchema, listOf, writeResult,
} from './ledgerResponseSchemas';
import type { ReplayResult } from './replayDecision';
import { named } from './schemaRegistry';

// The issuer routes' answers (issuerRoutes.ts), named for the OpenAPI document.

export const AssetWriteResultSchema = writeResult('AssetWriteResult', AssetSchema, 'The asset after the write');
export const RuleSetPublicationSchema = writeResult(
  'RuleSetPublication',
  z.object({ ...StoredRuleSetSchema.shape, unchanged: z.boolean().describe('true when the same content was already published') }),
);
export const RuleSetVersionsSchema = listOf('RuleSetVersions', StoredRuleSetSchema, 'The versions, oldest first');
export const InvestorWriteResultSchema = writeResult('InvestorWriteResult', InvestorRecordSummarySchema);
export const InvestorErasureResultSchema = writeResult('InvestorErasureResult', InvestorErasureSchema);
export const RegistrationWriteResultSchema = writeResult('RegistrationWriteResult', RegistrationSchema, 'The registration after the write');
export const RegistrationListSchema = listOf('RegistrationList', RegistrationSchema);
export const RegistryChangesPageSchema = named('RegistryChangesPage', registryChangesPageSchema, 'Changes of an asset\'s authenticated-address registry from a sequence number, with the newest one (head)');
export const HoldingMoveResultSchema = writeResult('HoldingMoveResult', HoldingMoveSchema);
export const RecoveryResultSchema = named(
  'RecoveryResult',
  z.object({
    transactionId: z.string(),
    result: RegistrationSchema.describe('the old address\'s registration, now recovered to the new one'),
    holdings: HoldingMoveResultSchema.optional().describe('the holding moved in a second transaction, when there was one'),
  }),
);
export const TransferResultSchema = writeResult('TransferResult', TransferOutcomeSchema);

/** A verdict with a message in the asked locale, for itself and for each reason. */
export const LocalisedVerdictSchema = named(
  'LocalisedVerdict',
  z.object({
    ...TransferVerdictSchema.shape,
    message: z.string(),
    reasons: z.array(z.object({ ...TransferReasonSchema.shape, message: z.string() })),
  }),
  'A transfer verdict with messages in the requested locale',
);
export const RecordedCheckSchema = named(
  'RecordedCheck',
  z.object({ transactionId: z.string(), result: z.object({ ...DecisionSchema.shape, verdict: LocalisedVerdictSchema }) }),
  'A check recorded as a decision (record=true): the decision as stored, its verdict with messages',
);
export const TransferCheckAnswerSchema = named(
  'TransferCheckAnswer',
  z.union([LocalisedVerdictSchema, RecordedCheckSchema]),
  'The verdict (record absent or false), or the recorded decision (record=true)',
);
export const RestrictionMessageSchema = named('RestrictionMessage', z.object({ code: z.number().int().min(0).max(255), message: z.string() }));

export const ReplayResultSchema = named(
  'ReplayResult',
  z.discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('REPLAYED'),
      id: z.string(),
      asset: z.string(),
      recordedAt: z.string(),
      ruleSetHashes: TransferVerdictSchema.shape.ruleSetHashes,
      recorded: TransferVerdictSchema,
      replayed: TransferVerdictSchema,
      same: z.boolean().describe('true when the replayed verdict is identical (code, every reason, hashes)'),
    }),
    z.object({
      outcome: z.literal('INPUTS_ERASED'),
      id: z.string(),
      asset: z.string(),
      recordedAt: z.string(),
      ruleSetHashes: TransferVerdictSchema.shape.ruleSetHashes,
      recorded: TransferVerdictSchema,
      erased: z.array(z.enum(['from', 'to'])).describe('the parties whose inputs were purged by an erasure'),
    }),
  ]),
  'A recorded decision re-evaluated with the rule sets it names',
);

/** Compile-time only: fails to compile when the replay's type and its documented schema drift apart. */
export const REPLAY_RESULT_DOCUMENTED: true = true satisfies TypesEqual<z.output<typeof ReplayResultSchema>, ReplayResult>;
