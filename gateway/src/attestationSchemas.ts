import { FIELD_NAME_PATTERN } from '@kyc-ledger/crypto';
import { z } from 'zod';
import { AccountIdSchema, AttestationIdSchema, CountryCodeSchema, Hex64, SignatureEnvelopeSchema, UtcTimestampSchema } from './commonSchemas';
import { named } from './schemaRegistry';
import { AttestationSchema, AttestationStatusSchema } from './ledgerResponseSchemas';
import { PageQueryShape } from './statusPage';

/** Most attestations one bulk call may register. */
export const MAX_BULK_ITEMS = 5000;

// The chaincode's limits (chaincode/src/attestationModel.ts). The chaincode sorts and de-duplicates
// both lists itself, so duplicates are not refused here either.
const CLAIM_TOPIC = /^[a-z][a-z0-9-]{0,63}$/;
const MAX_FIELD_NAMES = 64;
const MAX_CLAIM_TOPICS = 32;

function nonEmptyList<T extends z.ZodType>(item: T, max: number) {
  return z.array(item).min(1).max(max);
}

/** Assurance levels, weakest first. */
export const AssuranceLevels = ['low', 'substantial', 'high'] as const;

/** Revocation reasons the chaincode accepts. */
export const RevocationReasons = ['ERASED', 'FRAUD', 'SUBJECT_REQUEST', 'DOCUMENT_INVALID', 'CERTIFIER_ERROR', 'OTHER'] as const;

/** What a certifier registers: commitments only, never personal data. */
export const AttestationInputSchema = named(
  'AttestationInput',
  z.strictObject({
    subject: AccountIdSchema,
    commitmentRoot: Hex64.describe('root over the per-field salted commitments'),
    fieldNames: nonEmptyList(z.string().regex(FIELD_NAME_PATTERN, 'must be a field name (lower camelCase, at most 64 characters)'), MAX_FIELD_NAMES),
    claimTopics: nonEmptyList(z.string().regex(CLAIM_TOPIC, 'must be a claim topic (lower case, digits, dashes)'), MAX_CLAIM_TOPICS),
    jurisdiction: CountryCodeSchema,
    assuranceLevel: z.enum(AssuranceLevels),
    expiresAt: UtcTimestampSchema,
    evidenceHash: Hex64.describe('hash of the certifier\'s off-ledger evidence'),
    duplicateMarker: Hex64.describe('keyed hash of the identity\'s stable fields').optional(),
    subjectSignature: SignatureEnvelopeSchema.describe('the subject\'s signature of the attestation-request statement'),
  }),
  'An attestation to register (chaincode `attestation:register`)',
);

/** Up to {@link MAX_BULK_ITEMS} attestations in one idempotent call. */
export const BulkRegisterRequestSchema = named(
  'BulkRegisterRequest',
  z.strictObject({ items: z.array(AttestationInputSchema).min(1).max(MAX_BULK_ITEMS) }),
  'Attestations to register in one transaction; items already on the ledger are left unchanged',
);

export const RevokeRequestSchema = named('RevokeRequest', z.strictObject({ reason: z.enum(RevocationReasons) }));

export const RenewRequestSchema = named('RenewRequest', z.strictObject({ expiresAt: UtcTimestampSchema }));

export const RotateRequestSchema = named(
  'RotateRequest',
  z.strictObject({
    newSubject: AccountIdSchema,
    oldKeySignature: SignatureEnvelopeSchema.describe('the old key\'s signature of the key-rotation statement'),
    newKeySignature: SignatureEnvelopeSchema.describe('the new key\'s signature of the key-rotation statement'),
  }),
  'Moves an attestation to a new address; the old one becomes superseded',
);

/** Path parameters of routes on one attestation. */
export const AttestationParamsSchema = z.strictObject({ id: AttestationIdSchema });

/** Query of `GET /v1/attestations`. */
export const SubjectQuerySchema = z.strictObject({ subject: AccountIdSchema });


export const AttestationWriteResultSchema = named(
  'AttestationWriteResult',
  z.object({ transactionId: z.string(), attestation: AttestationSchema }),
);

export const BulkRegisterResultSchema = named(
  'BulkRegisterResult',
  z.object({
    transactionId: z.string(),
    registered: z.number().int(),
    unchanged: z.number().int(),
    ids: z.array(AttestationIdSchema).describe('ids of all items, in request order'),
  }),
);

export const AttestationListSchema = named(
  'AttestationList',
  z.object({ subject: z.string(), attestations: z.array(AttestationSchema) }),
);


export const SubjectStatusSchema = named(
  'SubjectStatus',
  z.object({
    subject: z.string(),
    valid: z.boolean().describe('true when at least one attestation on this page is valid'),
    attestations: z.array(AttestationStatusSchema).describe('in ascending id order'),
    nextPageToken: z.string().optional().describe('present when the address has more attestations: pass it as pageToken for the next page'),
  }),
  'Status of the attestations of one address, one page at a time',
);

export const SubjectStatusParamsSchema = z.strictObject({ subject: AccountIdSchema });
export const StatusQuerySchema = z.strictObject({
  at: UtcTimestampSchema.optional().describe('evaluate at this time instead of the transaction time'),
  ...PageQueryShape,
});
