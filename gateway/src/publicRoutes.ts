import {
  StatusQuerySchema,
  SubjectStatusParamsSchema,
  SubjectStatusSchema,
} from './attestationSchemas';
import type { LedgerClient } from './fabricClient';
import { LedgerFunctions as F } from './ledgerFunctions';
import { mapLimit } from './mapLimit';
import { MemberListSchema, MemberParamsSchema, SessionCertificateSchema } from './registrySchemas';
import { defineRoute, type RouteDefinition } from './routeDefinition';
import { DEFAULT_STATUS_PAGE_SIZE, pageOf } from './statusPage';

const TAG = 'public';

// Status reads of one subject's attestations run a few at a time, so one request cannot queue
// hundreds of evaluations on the peer.
const STATUS_CONCURRENCY = 4;

interface AttestationRef {
  id?: unknown;
}

interface StatusAnswer {
  valid?: unknown;
}

/** Routes anyone may call without an API key. They read only what is public on the ledger. */
export function publicRoutes(ledger: LedgerClient): RouteDefinition[] {
  return [
    defineRoute({
      operationId: 'getSubjectStatus',
      method: 'get',
      path: '/v1/public/attestations/:subject/status',
      tag: TAG,
      summary: 'Status of the attestations of an address, a page at a time',
      description: 'An address without attestations answers valid=false with an empty list. At most `limit` attestations are evaluated per request; `nextPageToken` leads to the rest.',
      access: 'public',
      params: SubjectStatusParamsSchema,
      query: StatusQuerySchema,
      responses: [{ status: 200, description: 'the status of each attestation', schema: SubjectStatusSchema }],
      errorStatuses: [503],
      async handler({ params, query }) {
        const attestations = (await ledger.evaluate<AttestationRef[]>(F.ATTESTATION_LIST_BY_SUBJECT, [params.subject])) ?? [];
        const page = pageOf(attestations.map((a) => a.id).filter((id): id is string => typeof id === 'string'), query.limit ?? DEFAULT_STATUS_PAGE_SIZE, query.pageToken);
        // The chaincode function always takes both arguments; an empty time means "now".
        const statuses = await mapLimit(page.ids, STATUS_CONCURRENCY, (id) => ledger.evaluate<StatusAnswer>(F.ATTESTATION_STATUS, [id, query.at ?? '']));
        const body = { subject: params.subject, valid: statuses.some((s) => s?.valid === true), attestations: statuses };
        return { body: page.nextPageToken === undefined ? body : { ...body, nextPageToken: page.nextPageToken } };
      },
    }),
    defineRoute({
      operationId: 'listMembers',
      method: 'get',
      path: '/v1/public/members',
      tag: TAG,
      summary: 'The consortium\'s member organisations and their roles',
      access: 'public',
      responses: [{ status: 200, description: 'the members', schema: MemberListSchema }],
      errorStatuses: [503],
      async handler() {
        const members = await ledger.evaluate<unknown[]>(F.REGISTRY_LIST_MEMBERS, []);
        return { body: { members: members ?? [] } };
      },
    }),
    defineRoute({
      operationId: 'getSessionCertificate',
      method: 'get',
      path: '/v1/public/members/:mspId/session-certificate',
      tag: TAG,
      summary: 'The certificate chain a bank signs its verification sessions with',
      description: 'As the bank\'s admin published it on the member registry; wallets check sessions against it and pin its CA (docs/wallet.md).',
      access: 'public',
      params: MemberParamsSchema,
      responses: [{ status: 200, description: 'the published certificate chain', schema: SessionCertificateSchema }],
      errorStatuses: [404, 503],
      async handler({ params }) {
        return { body: await ledger.evaluate<unknown>(F.REGISTRY_SESSION_CERTIFICATE, [params.mspId]) };
      },
    }),
  ];
}
