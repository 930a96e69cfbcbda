/** What one open-loop step measured. */
export interface OpenLoopStep {
  /** Offered rate, tx/s. */
  offered: number;
  seconds: number;
  /** Submits started on schedule. */
  submitted: number;
  committed: number;
  failed: number;
  /** Submits not started because `maxInFlight` were already waiting: the client gave up on them. */
  dropped: number;
  /** Committed per second, as Caliper counts it: committed ÷ (last commit − step start). */
  committedPerSecond: number;
  /** Each committed submit's latency in ms, from its scheduled start (so a late start counts). */
  latencies: number[];
  /** The first failure's message, if any, so a broken flow shows why. */
  firstError?: string;
}

/** How often the scheduler wakes to start the submits that are due (ms). */
const TICK_MS = 5;

/**
 * Offers `rate` submits per second for `seconds`, whatever happens to earlier ones (open loop): the
 * i-th submit is due at i/rate s. A submit due while `maxInFlight` are still waiting is dropped,
 * not queued, so a saturated system shows as fewer commits and longer latencies, never as a
 * client that quietly slows down. Waits for every started submit before returning.
 */
export async function openLoopStep(rate: number, seconds: number, maxInFlight: number, submit: (i: number) => Promise<unknown>): Promise<OpenLoopStep> {
  const total = Math.round(rate * seconds);
  const step: OpenLoopStep = { offered: rate, seconds, submitted: 0, committed: 0, failed: 0, dropped: 0, committedPerSecond: 0, latencies: [] };
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  let lastCommit = start;
  let next = 0;
  const launch = (i: number) => {
    const due = start + (i * 1000) / rate;
    const run = submit(i).then(
      () => {
        lastCommit = performance.now();
        step.committed++;
        step.latencies.push(lastCommit - due);
      },
      (error: unknown) => {
        step.failed++;
        step.firstError ??= (error as Error)?.message ?? String(error);
      },
    );
    const tracked = run.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  while (next < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    for (; next < due; next++) {
      if (pending.size >= maxInFlight) {
        step.dropped++;
        continue;
      }
      step.submitted++;
      launch(next);
    }
    if (next < total) await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(pending);
  step.committedPerSecond = step.committed > 0 ? step.committed / ((lastCommit - start) / 1000) : 0;
  return step;
}
