import { z } from 'zod';
import { ENTITY_TYPES, INVESTOR_TYPES, RISK_TIERS, accountSchema, investorRecordInputSchema, amountSchema, assetIdSchema, investorIdSchema } from './investorModel';
import { mspIdSchema } from './registryModel';

// Output schemas: what the asset, registration, investor and transfer contracts store and answer.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const timestamp = z.iso.datetime({ offset: false });
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');

/** An asset's compliance officers as stored. */
export const storedOfficerSetSchema = z.object({
  accounts: z.array(accountSchema).describe('the officers\' offline keys as CAIP-10 account ids'),
  threshold: z.number().int().min(1).describe('M: distinct current officers that must sign'),
  version: z.number().int().min(1).describe('bumped by every change, so an approval of one set\'s change cannot be replayed on the next'),
});

/** An asset as stored (`asset:get`). */
export const assetSchema = z.object({
  id: assetIdSchema,
  name: z.string(),
  issuer: mspIdSchema,
  officers: storedOfficerSetSchema,
  frozen: z.boolean(),
  nonce: z.number().int().min(0).describe('bumped by every approved asset-level action, binding approvals to one state'),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** An address's registration for an asset (`registration:get`). */
export const registrationSchema = z.object({
  asset: assetIdSchema,
  address: accountSchema,
  investor: investorIdSchema,
  certifier: mspIdSchema.describe('the certifier whose attestation and investor record back this investor'),
  attestationId: hex64,
  status: z.enum(['registered', 'deregistered']),
  frozen: z.boolean(),
  nonce: z.number().int().min(0).describe('per (asset, address) counter in every approval digest: approvals are single-use'),
  approvedBy: z.array(accountSchema).describe('the officers whose approvals registered it'),
  registeredAt: timestamp,
  updatedAt: timestamp,
  recoveredTo: accountSchema.optional(),
  recoveredFrom: accountSchema.optional(),
});

/** An investor record as stored in the issuer×certifier private collection (`investor:get`). */
export const investorRecordSchema = z.object({
  ...investorRecordInputSchema.shape,
  updatedAt: timestamp,
  updatedBy: z.string().describe('the identity that wrote it'),
});

/** What `investor:put` answers: which record was written, never its attributes. */
export const investorRecordSummarySchema = z.object({
  issuer: mspIdSchema,
  certifier: mspIdSchema,
  id: investorIdSchema,
  updatedAt: timestamp,
});

/** What `investor:erase` answers. */
export const investorErasureSchema = z.object({
  erased: investorIdSchema.describe('the erased record\'s investor id'),
  erasedAt: timestamp.describe('the erasing transaction\'s time'),
  erasedBy: z.string().describe('MSP ID of the org that asked (the issuer or the certifier)'),
  recordPurged: z.boolean().describe('false when only decision inputs were left to purge'),
  decisionsPurged: z.number().int().min(0).describe('personal inputs of recorded decisions purged with it'),
});

/** What the issuer's own collection keeps per holder. */
export const holdingSchema = z.object({
  balance: amountSchema,
  acquiredAt: timestamp.describe('start of the lock-up clock'),
  jurisdiction: country,
});

/** Holders with a balance above 0. */
export const holderCountsSchema = z.object({
  total: z.number().int().min(0),
  byCountry: z.record(z.string(), z.number().int().min(0)),
});

/** What `transfer:holding` answers. */
export const holdingAnswerSchema = z.object({
  address: accountSchema,
  holding: holdingSchema.nullable().describe('null when the address holds nothing'),
  holders: holderCountsSchema,
});

/** What `transfer:execute` answers. */
export const transferOutcomeSchema = z.object({
  asset: assetIdSchema,
  recorded: z.literal(true),
  code: z.literal(0).describe('the verdict\'s restriction code: a transfer is recorded only when allowed'),
});

/** What `transfer:recoverHoldings` answers. */
export const holdingMoveSchema = z.object({
  from: accountSchema,
  to: accountSchema,
  moved: z.literal(true),
});

/** An action that takes effect only with M-of-N officer signatures, bound to the state it applies to. */
export const approvedActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('register'), asset: assetIdSchema, address: accountSchema, investor: investorIdSchema, certifier: mspIdSchema, attestationId: hex64, nonce: z.number().int() }),
  z.object({ action: z.literal('recover'), asset: assetIdSchema, from: accountSchema, to: accountSchema, attestationId: hex64, nonce: z.number().int() }),
  z.object({ action: z.literal('unfreezeAddress'), asset: assetIdSchema, address: accountSchema, nonce: z.number().int() }),
  z.object({ action: z.literal('unfreezeAsset'), asset: assetIdSchema, nonce: z.number().int() }),
  z.object({ action: z.literal('changeOfficers'), asset: assetIdSchema, accounts: z.array(accountSchema), threshold: z.number().int(), version: z.number().int() }),
]);

/** What `registration:approvalRequest` answers: the digest each officer signs offline. */
export const approvalRequestAnswerSchema = z.object({
  action: approvedActionSchema,
  digest: hex64.describe('sha256 the officers sign (kyc-wallet sign-digest)'),
  threshold: z.number().int().min(1),
  officers: z.array(accountSchema),
  network: z.string().describe('the network id every signed statement names'),
});

/** What `transfer:record` answers: the decision's name only; its content stays private. */
export const decisionRefSchema = z.object({ id: hex64, asset: assetIdSchema, recordedAt: timestamp });

export type InvestorRecordSummary = z.output<typeof investorRecordSummarySchema>;
export type InvestorErasure = z.output<typeof investorErasureSchema>;
export type HoldingAnswer = z.output<typeof holdingAnswerSchema>;
export type ApprovedAction = z.output<typeof approvedActionSchema>;
export type ApprovalRequestAnswer = z.output<typeof approvalRequestAnswerSchema>;
export type DecisionRef = z.output<typeof decisionRefSchema>;
