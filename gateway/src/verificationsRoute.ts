import { z } from 'zod';
import type { RecentVerifications } from './recentVerifications';
import { defineRoute, type RouteDefinition } from './routeDefinition';
import { named } from './schemaRegistry';

/** Default and largest page of `GET /v1/verifications`. */
export const VERIFICATIONS_DEFAULT = 20;
export const VERIFICATIONS_MAX = 100;

const VerificationsQuerySchema = z.strictObject({
  limit: z.string().regex(/^[0-9]{1,4}$/, `must be a whole number from 1 to ${VERIFICATIONS_MAX}`).transform(Number)
    .refine((n) => n >= 1 && n <= VERIFICATIONS_MAX, `must be a whole number from 1 to ${VERIFICATIONS_MAX}`)
    .optional().describe(`most verdicts answered, 1 to ${VERIFICATIONS_MAX} (default ${VERIFICATIONS_DEFAULT})`),
});

const RecentVerificationSchema = z.object({
  sessionId: z.string(),
  state: z.enum(['verified', 'rejected', 'refused']),
  decidedAt: z.string(),
  verified: z.boolean(),
  reasons: z.array(z.string()).describe('reason codes (REFUSED for a refusal)'),
  attestationId: z.string().optional(),
  address: z.string().optional(),
  receiptTransactionId: z.string().optional(),
});

const VerificationsSchema = named('RecentVerifications', z.object({ verifications: z.array(RecentVerificationSchema) }));

/** `GET /v1/verifications`: this bank's most recent verdicts at this gateway instance, newest first. */
export function verificationsRoute(deps: { recent: RecentVerifications; tag: string }): RouteDefinition {
  return defineRoute({
    operationId: 'listVerifications',
    method: 'get',
    path: '/v1/verifications',
    tag: deps.tag,
    summary: 'This bank\'s most recent verdicts (newest first; no disclosed values)',
    description: 'The verdicts and refusals this gateway instance took, newest first: reason codes, attestation, address and receipt transaction, never a disclosed value. Kept per instance (the last 1000; in its data dir when it has one, else in memory): with several instances each lists its own.',
    access: 'bank',
    query: VerificationsQuerySchema,
    responses: [{ status: 200, description: 'the verdicts', schema: VerificationsSchema }],
    async handler({ query }) {
      return { body: { verifications: deps.recent.list(query.limit ?? VERIFICATIONS_DEFAULT) } };
    },
  });
}
