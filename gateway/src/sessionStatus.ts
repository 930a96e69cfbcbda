import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LedgerClient } from './fabricClient';
import { GatewayError, GatewayErrorCodes, isGatewayError } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';
import { named } from './schemaRegistry';
import type { SessionStore } from './sessionStore';
import type { SiblingVerdicts } from './siblingVerdicts';
import { verdictFromReceipt, type LedgerReceipt } from './verdictFromReceipt';

const ReasonSchema = z.object({ code: z.string(), message: z.string() });

export const VerdictSchema = named('Verdict', z.object({
  verified: z.boolean(),
  reasons: z.array(ReasonSchema),
  address: z.string().optional(),
  attestationId: z.string().optional(),
  certifier: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional().describe('disclosed values (bank only): kept only in the memory of the gateway instance that took the submission, and answered only there'),
  receiptTransactionId: z.string().optional(),
  decidedAt: z.string(),
}));

/** Every state of a session; the last four are final. */
export const SESSION_STATES = ['open', 'pending', 'verified', 'rejected', 'refused', 'expired'] as const;
export type SessionState = (typeof SESSION_STATES)[number];
const FINAL_STATES: ReadonlySet<SessionState> = new Set(['verified', 'rejected', 'refused', 'expired']);

/** True for a state a session never leaves. */
export function isFinalState(state: SessionState): boolean {
  return FINAL_STATES.has(state);
}

export const SessionStatusSchema = named('SessionStatus', z.object({
  sessionId: z.string(),
  state: z.enum(SESSION_STATES).describe('open: waiting for the wallet; pending: used up, its receipt not yet committed; refused: the person declined it in their wallet (nothing was sent to the ledger); verified, rejected, refused and expired are final'),
  expiresAt: z.string().optional().describe('absent when this instance did not create the session and knows it from its ledger receipt only'),
  refusedAt: z.string().optional().describe('when the person refused (state refused)'),
  verdict: VerdictSchema.optional(),
  verdictSource: z.enum(['memory', 'ledger']).optional().describe('memory: this instance or a sibling instance on the same machine took the submission (reasons with messages, disclosed values); ledger: read from the consent receipt an instance elsewhere recorded (reason codes, no disclosed values)'),
}));

/** The body of `GET /v1/sessions/:sessionId` and of each `status` event. */
export type SessionStatus = z.output<typeof SessionStatusSchema>;

/** Reads a session's status; `ledger: false` answers from this machine's memory only (undefined when it does not know the session). */
export type SessionStatusReader = (sessionId: string, opts?: { ledger?: boolean }) => Promise<SessionStatus | undefined>;

/**
 * A session's state as the bank's back office sees it: from this instance's memory, a sibling
 * instance's, or the bank's consent receipt on the ledger. With `ledger` (the default) an unknown
 * session is a NOT_FOUND error; without, no ledger read is made.
 */
export function sessionStatusReader(deps: { store: SessionStore; siblings: SiblingVerdicts; ledger: LedgerClient; now: () => Date }): SessionStatusReader {
  const { store, siblings, ledger, now } = deps;
  async function receiptOf(sessionId: string): Promise<LedgerReceipt | undefined> {
    try {
      return await ledger.evaluate<LedgerReceipt>(F.CONSENT_GET, [createHash('sha256').update(sessionId).digest('hex')]);
    } catch (error) {
      if (isGatewayError(error, GatewayErrorCodes.NOT_FOUND)) return undefined;
      throw error;
    }
  }
  return async (sessionId, opts = {}) => {
    const useLedger = opts.ledger ?? true;
    const entry = store.get(sessionId);
    const expiresAt = entry && { expiresAt: entry.session.expiresAt };
    if (entry?.verdict) {
      const state = entry.verdict.verified ? 'verified' : 'rejected';
      return { sessionId, state, ...expiresAt, verdict: entry.verdict, verdictSource: 'memory' };
    }
    if (entry?.state === 'refused') return { sessionId, state: 'refused', ...expiresAt, ...(entry.refusedAt && { refusedAt: entry.refusedAt }) };
    // Another instance on this machine may hold it, with the disclosed values.
    const held = await siblings(sessionId);
    if (held?.refusedAt) return { sessionId, state: 'refused', ...expiresAt, refusedAt: held.refusedAt };
    if (held) return { sessionId, state: held.verified ? 'verified' : 'rejected', ...expiresAt, verdict: held, verdictSource: 'memory' };
    if (!useLedger) {
      if (!entry) return undefined;
      if (entry.state === 'consumed') return { sessionId, state: 'pending', ...expiresAt };
      return { sessionId, state: Date.parse(entry.session.expiresAt) <= now().getTime() ? 'expired' : 'open', ...expiresAt };
    }
    // No verdict here: another instance may have taken the session (even if a replay here was
    // refused), so the ledger's receipt answers; without one, a session used up here is
    // still waiting for its receipt's commit.
    const receipt = await receiptOf(sessionId);
    if (!receipt && entry?.state === 'consumed') return { sessionId, state: 'pending', ...expiresAt };
    if (receipt) {
      const verdict = verdictFromReceipt(receipt);
      return { sessionId, state: verdict.verified ? 'verified' : 'rejected', ...expiresAt, verdict, verdictSource: 'ledger' };
    }
    if (!entry) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, `no session ${sessionId} here and no receipt for it on the ledger (unknown, open at another instance, or forgotten after expiry)`);
    const expired = Date.parse(entry.session.expiresAt) <= now().getTime();
    return { sessionId, state: expired ? 'expired' : 'open', ...expiresAt };
  };
}
