import { z } from 'zod';
import type { assetSchema, holderCountsSchema, holdingSchema, investorRecordSchema, registrationSchema, storedOfficerSetSchema } from './investorObjectSchemas';
import { mspIdSchema } from './registryModel';

const timestamp = z.iso.datetime({ offset: false });

/** Asset ids appear in signed officer approvals, so they follow the statement's id rule. */
export const assetIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 characters of [A-Za-z0-9._:-]');
/** Issuer-chosen opaque investor reference (never a name or a document number). */
export const investorIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 characters of [A-Za-z0-9._:-]');
/** A CAIP-10 account id; normalised and checked against the signature schemes by the contract. */
export const accountSchema = z.string().min(3).max(200);
/** Token amounts in base units: a decimal integer, no sign, no leading zeros. */
export const amountSchema = z.string().regex(/^(0|[1-9][0-9]{0,38})$/, 'must be a decimal integer in base units');

export const officerSetSchema = z.strictObject({
  /** The compliance officers' offline keys, as CAIP-10 account ids. */
  accounts: z.array(accountSchema).min(1).max(32),
  /** M: how many distinct current officers must sign. */
  threshold: z.number().int().min(1).max(32),
}).refine((s) => s.threshold <= s.accounts.length, { message: 'threshold must not exceed the number of officers', path: ['threshold'] });

export type OfficerSetInput = z.output<typeof officerSetSchema>;

/** An officer set as stored; see `storedOfficerSetSchema`. */
export type OfficerSet = z.output<typeof storedOfficerSetSchema>;

export const assetInputSchema = z.strictObject({
  id: assetIdSchema,
  name: z.string().min(1).max(128),
  officers: officerSetSchema,
});

/** An asset as stored; see `assetSchema`. */
export type Asset = z.output<typeof assetSchema>;

/** One officer's offline signature over an approval digest (see officerApprovals.ts). */
export const approvalSchema = z.strictObject({
  officer: accountSchema,
  signature: z.unknown(),
});

export const approvalsSchema = z.array(approvalSchema).min(1).max(64);
export type Approval = z.output<typeof approvalSchema>;

export const registrationInputSchema = z.strictObject({
  asset: assetIdSchema,
  address: accountSchema,
  investor: investorIdSchema,
  /** The certifier whose attestation and investor record back this investor. */
  certifier: mspIdSchema,
  attestationId: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
});

export type RegistrationInput = z.output<typeof registrationInputSchema>;

/** A registration as stored; see `registrationSchema`. */
export type Registration = z.output<typeof registrationSchema>;

export const INVESTOR_TYPES = ['retail', 'accredited', 'qualified', 'professional', 'institutional'] as const;
export const ENTITY_TYPES = ['individual', 'corporation', 'trust', 'fund', 'partnership'] as const;
export const RISK_TIERS = ['low', 'medium', 'high'] as const;

/** The personal attributes compliance needs; kept only in a private data collection. */
export const investorRecordInputSchema = z.strictObject({
  id: investorIdSchema,
  issuer: mspIdSchema,
  certifier: mspIdSchema,
  jurisdiction: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
  investorType: z.enum(INVESTOR_TYPES),
  entityType: z.enum(ENTITY_TYPES),
  accreditationExpiresAt: timestamp.optional(),
  riskTier: z.enum(RISK_TIERS),
  pep: z.boolean(),
  amlScreenedAt: timestamp,
  kycVerifiedAt: timestamp,
});

export type InvestorRecordInput = z.output<typeof investorRecordInputSchema>;

/** An investor record as stored; see `investorRecordSchema`. */
export type InvestorRecord = z.output<typeof investorRecordSchema>;

export const transferInputSchema = z.strictObject({
  asset: assetIdSchema,
  /** Absent or null for an issuance. */
  from: accountSchema.nullable().optional(),
  to: accountSchema,
  amount: amountSchema,
});

export type TransferInput = z.output<typeof transferInputSchema>;

/** What the issuer's own collection keeps per holder; see `holdingSchema`. */
export type Holding = z.output<typeof holdingSchema>;

/** See `holderCountsSchema`. */
export type HolderCounts = z.output<typeof holderCountsSchema>;
