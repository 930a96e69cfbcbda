import { z } from 'zod';
import { GatewayError, GatewayErrorCodes } from './gatewayError';
import { defineRoute, EVENT_STREAM_CONTENT_TYPE, type EventStreamSink, type RouteDefinition } from './routeDefinition';
import { isFinalState, type SessionStatus, type SessionStatusReader } from './sessionStatus';
import type { SessionStore } from './sessionStore';

/** Open event streams one API key may hold at once (a counter has a few screens, not hundreds). */
export const MAX_STREAMS_PER_KEY = 20;
/** A comment line this often keeps proxies and idle timers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/** How often a stream asks sibling instances on this machine (never the ledger) for a verdict they took. */
const SIBLING_POLL_MS = 2_000;

export interface SessionEventsOptions {
  store: SessionStore;
  status: SessionStatusReader;
  now: () => Date;
  paramsSchema: z.ZodObject;
  tag: string;
  maxStreamsPerKey?: number;
  heartbeatMs?: number;
}

/**
 * `GET /v1/sessions/:sessionId/events`: the session's status as server-sent events, at once and at
 * each change, until a final state. Changes this instance makes arrive through the session store's
 * notification; a verdict a sibling instance on this machine took is found by asking the siblings
 * (memory, no ledger); at expiry the ledger is read once, for a receipt another machine recorded.
 */
export function sessionEventsRoute(opts: SessionEventsOptions): RouteDefinition {
  const { store, status, now } = opts;
  const maxStreams = opts.maxStreamsPerKey ?? MAX_STREAMS_PER_KEY;
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
  const openStreams = new Map<string, number>();

  function follow(initial: SessionStatus, sink: EventStreamSink, signal: AbortSignal): Promise<void> {
    const sessionId = initial.sessionId;
    return new Promise<void>((resolve) => {
      let last = JSON.stringify(initial);
      let done = false;
      // Checks run one after another, so events keep the order of the changes.
      let queue = Promise.resolve();
      const timers: NodeJS.Timeout[] = [];
      const finish = () => {
        if (done) return;
        done = true;
        unsubscribe();
        timers.forEach((t) => clearTimeout(t));
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const check = (ledger: boolean) => {
        queue = queue.then(async () => {
          if (done) return;
          let current: SessionStatus | undefined;
          try {
            current = await status(sessionId, { ledger });
          } catch {
            // The ledger did not answer at expiry: the stream ends, the client may ask again.
            current = undefined;
            if (ledger) finish();
          }
          if (!current || done) return;
          // Expired by this instance's memory: the ledger decides (a receipt recorded elsewhere), once.
          if (!ledger && current.state === 'expired') {
            check(true);
            return;
          }
          const text = JSON.stringify(current);
          if (text !== last) {
            last = text;
            sink.event('status', current);
          }
          if (isFinalState(current.state)) finish();
        });
      };
      const unsubscribe = store.subscribe(sessionId, () => check(false));
      signal.addEventListener('abort', finish);
      timers.push(setInterval(() => sink.comment('keep-alive'), heartbeatMs));
      timers.push(setInterval(() => check(false), SIBLING_POLL_MS));
      const expiresAt = initial.expiresAt ? Date.parse(initial.expiresAt) : Number.NaN;
      // At expiry: the ledger once (another machine may have taken the session), then expired.
      if (Number.isFinite(expiresAt)) timers.push(setTimeout(() => check(true), Math.max(0, expiresAt - now().getTime()) + 250));
      else finish();
      if (signal.aborted) finish();
    });
  }

  return defineRoute({
    operationId: 'followSession',
    method: 'get',
    path: '/v1/sessions/:sessionId/events',
    tag: opts.tag,
    summary: 'Follow a session live (server-sent events) until its final state',
    description: `A \`text/event-stream\`: an \`event: status\` whose data is the same JSON as \`GET /v1/sessions/{sessionId}\`, sent at once and whenever the session's state or verdict changes; a comment line every ${heartbeatMs / 1000} s; the stream ends after a final state (verified, rejected, refused, expired) or when the client goes. Browsers read it with fetch and a stream reader (EventSource cannot send the API key header). At most ${maxStreams} open streams per API key (429 RATE_LIMITED beyond). A verdict taken by an instance of this bank's gateway on another machine shows when the session expires.`,
    access: 'bank',
    params: opts.paramsSchema,
    responses: [{ status: 200, description: 'server-sent events `status` (SessionStatus JSON) until a final state', contentType: EVENT_STREAM_CONTENT_TYPE }],
    errorStatuses: [404, 502, 503],
    async handler({ params, context }) {
      const sessionId = (params as { sessionId: string }).sessionId;
      const keyId = context.apiKey?.id ?? '';
      const held = openStreams.get(keyId) ?? 0;
      if (held >= maxStreams) {
        throw new GatewayError(GatewayErrorCodes.RATE_LIMITED, `this API key already follows ${held} sessions; close one first`, { details: { scope: 'streams', limit: maxStreams } });
      }
      // Memory first (this instance or its siblings): following an open session made here asks the
      // ledger nothing. Only a session unknown here is looked up in the ledger's receipts (404 when none).
      // Expired in memory: the ledger decides (a receipt another machine recorded), as the follow does.
      const remembered = await status(sessionId, { ledger: false });
      const initial = remembered && remembered.state !== 'expired' ? remembered : await status(sessionId);
      if (!initial) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, `no session ${sessionId}`);
      openStreams.set(keyId, held + 1);
      return {
        async stream(sink, signal) {
          try {
            sink.event('status', initial);
            if (!isFinalState(initial.state)) await follow(initial, sink, signal);
          } finally {
            const left = (openStreams.get(keyId) ?? 1) - 1;
            if (left > 0) openStreams.set(keyId, left);
            else openStreams.delete(keyId);
          }
        },
      };
    },
  });
}
