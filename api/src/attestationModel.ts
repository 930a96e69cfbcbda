import { SignatureEnvelopeSchema } from '@kyc-ledger/crypto';
import { z } from 'zod';
import type { attestationSchema } from './attestationObjectSchemas';
import { ASSURANCE_LEVELS, claimTopicSchema } from './registryModel';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const timestamp = z.iso.datetime({ offset: false });
const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'must be a field name');

/** Why an attestation was revoked; ERASED means the certifier destroyed the salts on request. */
export const REVOCATION_REASONS = ['ERASED', 'FRAUD', 'SUBJECT_REQUEST', 'DOCUMENT_INVALID', 'CERTIFIER_ERROR', 'OTHER'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

const uniqueSorted = <T extends z.ZodString>(item: T, max: number) =>
  z.array(item).min(1).max(max).transform((values) => [...new Set(values)].sort());

export const attestationInputSchema = z.strictObject({
  subject: z.string().min(3).max(200),
  commitmentRoot: hex64,
  fieldNames: uniqueSorted(fieldName, 64),
  claimTopics: uniqueSorted(claimTopicSchema, 32),
  jurisdiction: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
  assuranceLevel: z.enum(ASSURANCE_LEVELS),
  expiresAt: timestamp,
  evidenceHash: hex64,
  duplicateMarker: hex64.optional(),
  subjectSignature: SignatureEnvelopeSchema,
});

export type AttestationInput = z.output<typeof attestationInputSchema>;

export const bulkInputSchema = z.array(z.unknown()).min(1).max(5000);

export const rotationInputSchema = z.strictObject({
  newSubject: z.string().min(3).max(200),
  oldKeySignature: SignatureEnvelopeSchema,
  newKeySignature: SignatureEnvelopeSchema,
});

export const revocationReasonSchema = z.enum(REVOCATION_REASONS);
export const idSchema = hex64;
export const timestampSchema = timestamp;

/** An attestation as stored: commitments and metadata only, never a personal value (see `attestationSchema`). */
export type Attestation = z.output<typeof attestationSchema>;

/** The fields that define an attestation's content, for idempotency checks. */
export function contentOf(a: Pick<Attestation, 'subject' | 'certifier' | 'commitmentRoot' | 'fieldNames' | 'claimTopics' | 'jurisdiction' | 'assuranceLevel' | 'expiresAt' | 'evidenceHash' | 'duplicateMarker'>) {
  return {
    subject: a.subject,
    certifier: a.certifier,
    commitmentRoot: a.commitmentRoot,
    fieldNames: a.fieldNames,
    claimTopics: a.claimTopics,
    jurisdiction: a.jurisdiction,
    assuranceLevel: a.assuranceLevel,
    expiresAt: a.expiresAt,
    evidenceHash: a.evidenceHash,
    duplicateMarker: a.duplicateMarker,
  };
}
