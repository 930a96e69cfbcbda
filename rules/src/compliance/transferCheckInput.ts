import { z } from 'zod';
import { claimTopicSchema } from '@kyc-ledger/api';
import {
  assetIdSchema, assuranceLevelSchema, countrySchema, entityTypeSchema, investorTypeSchema,
  nonNegativeIntegerStringSchema, riskTierSchema, utcTimestampSchema,
} from './commonSchemas';

export const investorFactsSchema = z.strictObject({
  jurisdiction: countrySchema,
  investorType: investorTypeSchema,
  entityType: entityTypeSchema,
  /** Accredited and qualified status lapses at this instant; without it that status counts as lapsed. */
  accreditationExpiresAt: utcTimestampSchema.optional(),
  riskTier: riskTierSchema,
  pep: z.boolean(),
  amlScreenedAt: utcTimestampSchema,
  kycVerifiedAt: utcTimestampSchema,
});

export const attestationFactsSchema = z.strictObject({
  id: z.string().min(1).max(256),
  claimTopics: z.array(claimTopicSchema).max(64),
  assuranceLevel: assuranceLevelSchema,
  valid: z.boolean(),
  /** Status reason codes (attestationStatus) when not valid. */
  failing: z.array(z.string().min(1).max(64)).max(16),
});

export const partyFactsSchema = z.strictObject({
  /** CAIP-10, normalised by the caller. */
  address: z.string().min(1).max(256),
  registered: z.boolean(),
  frozen: z.boolean(),
  balance: nonNegativeIntegerStringSchema,
  /** Start of the lock-up clock; absent when the balance is 0. */
  acquiredAt: utcTimestampSchema.optional(),
  investor: investorFactsSchema.optional(),
  attestation: attestationFactsSchema.optional(),
});

/**
 * Everything a transfer decision depends on, gathered by the caller at transaction time. The
 * amount is deliberately any string: a malformed amount is a verdict (INVALID_AMOUNT), not an error.
 */
export const transferCheckInputSchema = z.strictObject({
  at: utcTimestampSchema,
  asset: z.strictObject({ id: assetIdSchema, frozen: z.boolean() }),
  amount: z.string().max(100),
  /** null = issuance. */
  from: partyFactsSchema.nullable(),
  to: partyFactsSchema,
  /** Holders with balance > 0 before the transfer. */
  holders: z.strictObject({
    total: z.number().int().min(0),
    byCountry: z.record(countrySchema, z.number().int().min(0)),
  }),
});

export type InvestorFacts = z.output<typeof investorFactsSchema>;
export type AttestationFacts = z.output<typeof attestationFactsSchema>;
export type PartyFacts = z.output<typeof partyFactsSchema>;
export type TransferCheckInput = z.output<typeof transferCheckInputSchema>;
