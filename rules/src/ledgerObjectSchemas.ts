import { accreditationSchema, attestationSchema, type TypesEqual } from '@kyc-ledger/api';
import { z } from 'zod';
import type { AttestationStatus, StatusCode } from './attestationStatus';
import type { Reason, TransferVerdict } from './compliance';
import { RestrictionCodes, ruleSetSchema, transferCheckInputSchema, type RestrictionCodeName } from './compliance';

// Output schemas of what the engines answer and the ledger keeps of them. The engines' own types
// stay hand-written; the checks at the end of this file keep the two in step.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const timestamp = z.iso.datetime({ offset: false });
const RESTRICTION_NAMES = Object.keys(RestrictionCodes) as [RestrictionCodeName, ...RestrictionCodeName[]];
const STATUS_CODES = ['VALID', 'REVOKED', 'SUPERSEDED', 'NOT_YET_VALID', 'EXPIRED', 'CERTIFIER_NOT_ACCREDITED', 'OUT_OF_SCOPE'] as const satisfies readonly StatusCode[];

/** One failing reason of a transfer check. */
export const transferReasonSchema = z.object({
  code: z.number().int().min(0).max(255).describe('ERC-1404 restriction code'),
  name: z.enum(RESTRICTION_NAMES),
  party: z.enum(['from', 'to', 'asset', 'transfer']),
  module: z.string().describe('the compliance module that found it'),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** The ERC-1404 verdict of a transfer check, with every failing reason. */
export const transferVerdictSchema = z.object({
  code: z.number().int().min(0).max(255).describe('0 when allowed, else the lowest failing code'),
  name: z.enum(RESTRICTION_NAMES),
  reasons: z.array(transferReasonSchema),
  ruleSetHashes: z.object({ banking: hex64.optional(), securities: hex64.optional() }).describe('the rule set versions applied'),
  inputsHash: hex64.describe('sha256 of the canonical inputs'),
  engineVersion: z.number().int().min(1),
});

/** A published rule set version: kept forever, identified by the hash of its canonical content. */
export const storedRuleSetSchema = z.object({
  hash: hex64,
  ruleSet: ruleSetSchema,
  publishedAt: timestamp,
  publishedBy: z.string().describe('MSP ID of the publisher (the issuer, or the consortium for banking rules)'),
});

/**
 * A recorded transfer decision: the inputs the engine saw and its verdict, for replay. When a
 * party's investor record was erased, its inputs were purged: `input` is then absent and `erased`
 * names the parties (the verdict's inputsHash still commits to what they were).
 */
export const decisionSchema = z.object({
  id: hex64,
  asset: z.string(),
  recordedAt: timestamp,
  input: transferCheckInputSchema.optional(),
  verdict: transferVerdictSchema,
  erased: z.array(z.enum(['from', 'to'])).optional(),
});

/** An attestation's standing at a time, derived when read (`attestation:status`). */
export const attestationStatusSchema = z.object({
  id: hex64,
  at: timestamp.describe('the time it was evaluated at'),
  valid: z.boolean(),
  status: z.enum(STATUS_CODES).describe('the first failing reason, or VALID'),
  reasons: z.array(z.object({ code: z.enum(STATUS_CODES), message: z.string() })).describe('every failing reason'),
  attestation: attestationSchema,
  accreditation: accreditationSchema.nullable().describe('the certifier\'s accreditation; null when it has none'),
});

// Compile-time only: each line stops compiling when a schema and its hand-written type drift apart.
export const SCHEMAS_AGREE_WITH_TYPES: readonly true[] = [
  true satisfies TypesEqual<z.output<typeof transferVerdictSchema>, TransferVerdict>,
  true satisfies TypesEqual<z.output<typeof transferReasonSchema>, Reason>,
  true satisfies TypesEqual<z.output<typeof attestationStatusSchema>, AttestationStatus>,
];
