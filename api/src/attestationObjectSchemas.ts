import { SignatureSchemes, type SignatureScheme } from '@kyc-ledger/crypto';
import { z } from 'zod';
import { REVOCATION_REASONS } from './attestationModel';
import { ASSURANCE_LEVELS, mspIdSchema } from './registryModel';

// Output schemas: what the attestation contract stores and answers.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const timestamp = z.iso.datetime({ offset: false });

/** A stored signature envelope: its scheme was checked when it was registered. */
export const storedSignatureSchema = z.object({
  scheme: z.enum(Object.values(SignatureSchemes) as [SignatureScheme, ...SignatureScheme[]]),
  signature: z.string(),
  webauthn: z.object({ authenticatorData: z.string(), clientDataJSON: z.string() }).optional(),
});

/** An attestation as stored: commitments and metadata only, never a personal value. */
export const attestationSchema = z.object({
  id: hex64.describe('sha256 of canonical {certifier, subject, commitmentRoot}'),
  subject: z.string().describe('CAIP-10 account id, normalised'),
  certifier: mspIdSchema.describe('MSP ID of the issuing certifier'),
  signer: z.string().describe('the certifier\'s submitting identity (x509 subject and issuer)'),
  commitmentRoot: hex64,
  fieldNames: z.array(z.string()),
  claimTopics: z.array(z.string()),
  jurisdiction: z.string(),
  assuranceLevel: z.enum(ASSURANCE_LEVELS),
  issuedAt: timestamp,
  expiresAt: timestamp,
  evidenceHash: hex64,
  duplicateMarker: hex64.optional(),
  subjectSignature: storedSignatureSchema,
  status: z.enum(['active', 'revoked', 'superseded']),
  revocation: z.object({ reason: z.enum(REVOCATION_REASONS), at: timestamp }).optional(),
  supersededBy: hex64.optional(),
  rotatedFrom: z.object({ id: hex64, oldKeySignature: storedSignatureSchema, newKeySignature: storedSignatureSchema }).optional(),
  updatedAt: timestamp,
});

/** What `attestation:registerBulk` answers. */
export const bulkRegisterOutcomeSchema = z.object({
  registered: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  ids: z.array(hex64).describe('ids of all items, in request order'),
});

export type BulkRegisterOutcome = z.output<typeof bulkRegisterOutcomeSchema>;
