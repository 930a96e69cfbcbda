import { canonicalize } from 'json-canonicalize';
import {
  AttestationListSchema,
  AttestationParamsSchema,
  AttestationWriteResultSchema,
  BulkRegisterRequestSchema,
  BulkRegisterResultSchema,
  AttestationInputSchema,
  MAX_BULK_ITEMS,
  RenewRequestSchema,
  RevokeRequestSchema,
  RotateRequestSchema,
  SubjectQuerySchema,
} from './attestationSchemas';
import type { LedgerClient } from './fabricClient';
import { LedgerFunctions as F } from './ledgerFunctions';
import { defineRoute, type RouteDefinition } from './routeDefinition';

/** Largest bulk body: {@link MAX_BULK_ITEMS} attestations of about 3 KiB each. */
export const BULK_BODY_LIMIT = 16 * 1024 * 1024;

const TAG = 'attestations (certifier)';

/**
 * The certifier's routes (DESIGN.md flow 1). The gateway checks shape and role; the chaincode
 * checks accreditation, scope, signatures and ownership again.
 */
export function attestationRoutes(ledger: LedgerClient): RouteDefinition[] {
  return [
    defineRoute({
      operationId: 'registerAttestation',
      method: 'post',
      path: '/v1/attestations',
      tag: TAG,
      summary: 'Register an attestation',
      access: 'certifier',
      body: AttestationInputSchema,
      responses: [{ status: 201, description: 'registered and committed', schema: AttestationWriteResultSchema }],
      errorStatuses: [409, 422, 502, 503],
      async handler({ body }) {
        const { result, transactionId } = await ledger.submit<unknown>(F.ATTESTATION_REGISTER, [canonicalize(body)]);
        return { status: 201, body: { transactionId, attestation: result }, transactionId };
      },
    }),
    defineRoute({
      operationId: 'registerAttestationsBulk',
      method: 'post',
      path: '/v1/attestations/bulk',
      tag: TAG,
      summary: `Register up to ${MAX_BULK_ITEMS} attestations in one transaction (idempotent)`,
      access: 'certifier',
      body: BulkRegisterRequestSchema,
      bodyLimit: BULK_BODY_LIMIT,
      responses: [{ status: 200, description: 'committed; items already registered count as unchanged', schema: BulkRegisterResultSchema }],
      errorStatuses: [409, 422, 502, 503],
      async handler({ body }) {
        const { result, transactionId } = await ledger.submit<Record<string, unknown>>(F.ATTESTATION_REGISTER_BULK, [canonicalize(body.items)]);
        // The chaincode answers {registered, unchanged, ids}; anything else is passed on as is.
        const summary = result !== null && typeof result === 'object' && !Array.isArray(result) ? result : { result };
        return { body: { transactionId, ...summary }, transactionId };
      },
    }),
    defineRoute({
      operationId: 'revokeAttestation',
      method: 'post',
      path: '/v1/attestations/:id/revoke',
      tag: TAG,
      summary: 'Revoke an attestation this certifier issued',
      description: 'Reason ERASED is the erasure path: afterwards destroy the salts, so the root cannot be linked to the person.',
      access: 'certifier',
      params: AttestationParamsSchema,
      body: RevokeRequestSchema,
      responses: [{ status: 200, description: 'revoked', schema: AttestationWriteResultSchema }],
      errorStatuses: [404, 409, 422, 502, 503],
      async handler({ params, body }) {
        const { result, transactionId } = await ledger.submit<unknown>(F.ATTESTATION_REVOKE, [params.id, body.reason]);
        return { body: { transactionId, attestation: result }, transactionId };
      },
    }),
    defineRoute({
      operationId: 'renewAttestation',
      method: 'post',
      path: '/v1/attestations/:id/renew',
      tag: TAG,
      summary: 'Set a new expiry on an attestation this certifier issued',
      access: 'certifier',
      params: AttestationParamsSchema,
      body: RenewRequestSchema,
      responses: [{ status: 200, description: 'renewed', schema: AttestationWriteResultSchema }],
      errorStatuses: [404, 409, 422, 502, 503],
      async handler({ params, body }) {
        const { result, transactionId } = await ledger.submit<unknown>(F.ATTESTATION_RENEW, [params.id, body.expiresAt]);
        return { body: { transactionId, attestation: result }, transactionId };
      },
    }),
    defineRoute({
      operationId: 'rotateAttestation',
      method: 'post',
      path: '/v1/attestations/:id/rotate',
      tag: TAG,
      summary: 'Move an attestation to the subject\'s new address',
      description: 'Both keys sign the key-rotation statement; the answer is the new attestation, the old one becomes superseded.',
      access: 'certifier',
      params: AttestationParamsSchema,
      body: RotateRequestSchema,
      responses: [{ status: 200, description: 'rotated; the new attestation', schema: AttestationWriteResultSchema }],
      errorStatuses: [404, 409, 422, 502, 503],
      async handler({ params, body }) {
        const { result, transactionId } = await ledger.submit<unknown>(F.ATTESTATION_ROTATE, [params.id, canonicalize(body)]);
        return { body: { transactionId, attestation: result }, transactionId };
      },
    }),
    defineRoute({
      operationId: 'listAttestationsBySubject',
      method: 'get',
      path: '/v1/attestations',
      tag: TAG,
      summary: 'List the attestations of an address',
      access: 'certifier',
      query: SubjectQuerySchema,
      responses: [{ status: 200, description: 'the attestations (possibly none)', schema: AttestationListSchema }],
      errorStatuses: [503],
      async handler({ query }) {
        const attestations = await ledger.evaluate<unknown[]>(F.ATTESTATION_LIST_BY_SUBJECT, [query.subject]);
        return { body: { subject: query.subject, attestations: attestations ?? [] } };
      },
    }),
  ];
}
