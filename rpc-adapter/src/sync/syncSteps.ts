/**
 * The driver's steps, in the order one batch goes through them. Each is a point where a crash
 * test may kill the process (see {@link crashPointFromEnv}).
 */
export const SyncSteps = [
  'change-received',
  'outbox-written',
  'signed-and-stored',
  'broadcast',
  'receipt-seen',
  'checkpoint-written',
] as const;

/** One of {@link SyncSteps}. */
export type SyncStep = (typeof SyncSteps)[number];

/** Called by the driver after each step completes. */
export type SyncStepHook = (step: SyncStep) => void;

/**
 * A hook that SIGKILLs the process the `n`th time `step` completes, from the environment variable
 * `KYC_SYNC_CRASH_AT=<step>:<n>` (unset: a hook that does nothing). Only crash tests set it; the
 * kill is SIGKILL so nothing in the process gets to clean up, as in a power cut.
 */
export function crashPointFromEnv(env: NodeJS.ProcessEnv = process.env): SyncStepHook {
  const spec = env['KYC_SYNC_CRASH_AT'];
  if (spec === undefined || spec === '') return () => undefined;
  const [step, count] = spec.split(':');
  const n = Number(count ?? '1');
  if (!(SyncSteps as readonly string[]).includes(step ?? '') || !Number.isInteger(n) || n < 1) {
    throw new Error(`KYC_SYNC_CRASH_AT must be <step>:<n> with a step of ${SyncSteps.join(', ')} (got ${spec})`);
  }
  let seen = 0;
  return (done) => {
    if (done === step && ++seen === n) process.kill(process.pid, 'SIGKILL');
  };
}
