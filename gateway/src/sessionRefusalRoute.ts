import { z } from 'zod';
import type { BankSession } from '@kyc-ledger/crypto';
import { GatewayError, GatewayErrorCodes } from './gatewayError';
import type { RecentVerifications } from './recentVerifications';
import { defineRoute, type RouteDefinition } from './routeDefinition';
import { named } from './schemaRegistry';
import type { SessionEntry, SessionStore } from './sessionStore';
import { BankSessionDocSchema } from './walletSchemas';

const RefusalSchema = named('SessionRefusal', z.strictObject({
  session: BankSessionDocSchema.describe('the signed session exactly as the wallet received it'),
}), 'The person declined a session in their wallet');

const RefusedSchema = named('SessionRefused', z.object({
  sessionId: z.string(),
  state: z.literal('refused'),
  refusedAt: z.string(),
}));

/** The detail of SESSION_ALREADY_USED for a session that was used or refused. */
export function alreadyUsed(entry: SessionEntry): GatewayError {
  return entry.state === 'refused'
    ? new GatewayError(GatewayErrorCodes.SESSION_ALREADY_USED, 'the person refused this session', { details: { reason: 'SESSION_REFUSED', refusedAt: entry.refusedAt } })
    : new GatewayError(GatewayErrorCodes.SESSION_ALREADY_USED, 'this session has been used');
}

/**
 * `POST /v1/sessions/refusals`: the wallet tells the bank the person declined. Accepted exactly
 * when a submission carrying the same session would be (this bank's session, signed by its
 * identity, not expired, still open); the session then is final (`refused`). Nothing is written to
 * the ledger.
 */
export function sessionRefusalRoute(deps: {
  store: SessionStore;
  recent: RecentVerifications;
  /** The entry of a carried session: this instance's own, or one another instance signed (checked). */
  entryOf: (session: BankSession) => SessionEntry;
  now: () => Date;
  tag: string;
}): RouteDefinition {
  const { store, recent, entryOf, now } = deps;
  return defineRoute({
    operationId: 'refuseSession',
    method: 'post',
    path: '/v1/sessions/refusals',
    tag: deps.tag,
    summary: 'The person refused a session in their wallet (the signed session in the body)',
    description: 'Public, like submissions, and for the same sessions: one this bank signed (its MSP ID, channel and certificate), not expired and still open; any instance of the bank\'s gateway takes it. The session becomes `refused`, which is final: a later submission for it gets 409 SESSION_ALREADY_USED (details.reason SESSION_REFUSED). Nothing is written to the ledger (no personal data, no consent receipt); the refusal is known only to the gateway instance that took it. A wallet finds this route beside the session\'s submitUrl (`…/v1/sessions/refusals`).',
    access: 'public',
    body: RefusalSchema,
    responses: [{ status: 200, description: 'the session is refused', schema: RefusedSchema }],
    errorStatuses: [404, 409, 422],
    async handler({ body }) {
      const entry = entryOf(body.session);
      if (entry.state !== 'open') throw alreadyUsed(entry);
      if (Date.parse(entry.session.expiresAt) <= now().getTime()) throw new GatewayError(GatewayErrorCodes.SESSION_EXPIRED, `the session expired at ${entry.session.expiresAt}`);
      if (!store.refuse(entry.session.sessionId)) throw alreadyUsed(entry);
      const refusedAt = entry.refusedAt ?? now().toISOString();
      recent.add({ sessionId: entry.session.sessionId, state: 'refused', decidedAt: refusedAt, verified: false, reasons: ['REFUSED'] });
      return { body: { sessionId: entry.session.sessionId, state: 'refused', refusedAt } };
    },
  });
}
