import type { ApiClient } from '../shared/apiClient';
import { FINAL_STATES } from './counterFormat';
import type { SessionStatus } from './counterTypes';
import { readEventStream } from './eventStreamReader';

/** Wait before reconnecting a stream that dropped before a final state. */
const RECONNECT_MS = 2000;

/**
 * Follows a session over `GET /v1/sessions/:id/events` and calls `onStatus` with every status the
 * gateway sends, until a final state (then resolves with it) or `signal` aborts. A stream that
 * drops early is opened again; the gateway sends the current status first, so nothing is missed.
 */
export async function followSession(client: ApiClient, sessionId: string, onStatus: (status: SessionStatus) => void, signal: AbortSignal): Promise<SessionStatus | undefined> {
  let last: SessionStatus | undefined;
  while (!signal.aborted) {
    try {
      const response = await client.open(`/v1/sessions/${encodeURIComponent(sessionId)}/events`, { signal });
      if (!response.body) throw new Error('the gateway sent no stream');
      await readEventStream(response.body, (event) => {
        if (event.event !== 'status') return;
        last = JSON.parse(event.data) as SessionStatus;
        onStatus(last);
      });
      if (last && FINAL_STATES.has(last.state)) return last;
    } catch (error) {
      if (signal.aborted) return last;
      // A coded refusal (unknown session, too many streams, bad key) does not get better by retrying.
      if ((error as { status?: number }).status !== undefined && (error as { status: number }).status >= 400 && (error as { status: number }).status < 500 && (error as { status: number }).status !== 429) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
  return last;
}
