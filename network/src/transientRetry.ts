/**
 * Errors in which Fabric says "not ready yet" rather than "no": a node that is still starting or
 * reconnecting, or an ordering service that has not elected a leader since it (re)started. Only
 * these are retried; anything else (a bad definition, a policy failure, a missing file) fails at
 * once, because repeating it cannot help and would only hide the cause.
 */
const TRANSIENT: readonly RegExp[] = [
  /connection refused/i,
  // gRPC status UNAVAILABLE: the server is not (yet) serving.
  /\bUNAVAILABLE\b/,
  /failed to create new connection/i,
  /error while dialing/i,
  // The peer CLI gave up connecting within its --connTimeout (a listener that is not serving yet).
  /context deadline exceeded/i,
  // Raft/BFT: the orderer has not found a leader since it (re)started.
  /SERVICE_UNAVAILABLE/,
  /no Raft leader/i,
  /no leader/i,
  // The channel participation API while the orderer is still bringing the channel up.
  /answered 503\b/,
];

/** True when `error`'s message is one of Fabric's "not ready yet" answers. */
export function isTransientFabricError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message}` : String(error);
  return TRANSIENT.some((re) => re.test(text));
}

export interface RetryOptions {
  /** Total time to keep retrying transient failures. */
  timeoutMs?: number;
  delayMs?: number;
  /** Which failures to retry; defaults to Fabric's "not ready yet" answers. */
  isTransient?: (error: unknown) => boolean;
  /** Told about each retried failure (for progress output). */
  onRetry?: (error: unknown, attempt: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn`, retrying only transient failures until `timeoutMs` has passed; the last error is then
 * thrown as it was, so its code and message still say what failed. Callers pass only operations
 * that are safe to repeat (reads, or writes that check first whether they already happened).
 */
export async function retryTransient<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const delayMs = options.delayMs ?? 1000;
  const isTransient = options.isTransient ?? isTransientFabricError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransient(error) || Date.now() + delayMs > deadline) throw error;
      options.onRetry?.(error, attempt);
      await sleep(delayMs);
    }
  }
}
