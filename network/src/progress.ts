/** One finished step, as reported to the user and in --json output. */
export interface StepResult {
  step: string;
  seconds: number;
  detail?: string;
}

/** Receives progress from long operations; the CLI prints it, tests may ignore it. */
export interface Progress {
  /** A step started (e.g. "build peer"). */
  start(step: string): void;
  /** A note inside the current step (e.g. a line of build output). */
  info(message: string): void;
  /** The current step finished. */
  done(step: string, detail?: string): void;
  /** Every finished step with its duration, in order. */
  readonly steps: readonly StepResult[];
}

class TimedProgress implements Progress {
  readonly steps: StepResult[] = [];
  readonly #started = new Map<string, bigint>();

  constructor(private readonly sink: ((line: string) => void) | undefined) {}

  start(step: string): void {
    this.#started.set(step, process.hrtime.bigint());
    this.sink?.(`▶ ${step}`);
  }

  info(message: string): void {
    this.sink?.(`  ${message}`);
  }

  done(step: string, detail?: string): void {
    const began = this.#started.get(step) ?? process.hrtime.bigint();
    this.#started.delete(step);
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    const result: StepResult = detail === undefined ? { step, seconds } : { step, seconds, detail };
    this.steps.push(result);
    this.sink?.(`✔ ${step} (${seconds.toFixed(1)} s)${detail ? ` — ${detail}` : ''}`);
  }
}

/** Progress that prints each line through `sink` (or nothing when omitted) and times every step. */
export function createProgress(sink?: (line: string) => void): Progress {
  return new TimedProgress(sink);
}

/** Runs `fn` as a named step. */
export async function step<T>(progress: Progress, name: string, fn: () => Promise<T>, detail?: (value: T) => string): Promise<T> {
  progress.start(name);
  const value = await fn();
  progress.done(name, detail?.(value));
  return value;
}
