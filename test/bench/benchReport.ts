/** One measured figure; `target` states the goal from DESIGN.md where there is one. */
export interface Figure {
  value: number;
  unit: string;
  target?: string;
  note?: string;
}

/** Collects figures, prints each as it is measured, and the whole set as one JSON line at the end. */
export class BenchReport {
  readonly figures: Record<string, Figure> = {};

  add(name: string, figure: Figure): void {
    this.figures[name] = figure;
    const target = figure.target ? ` (target ${figure.target})` : '';
    const note = figure.note ? ` — ${figure.note}` : '';
    process.stderr.write(`  ${name}: ${round(figure.value)} ${figure.unit}${target}${note}\n`);
  }

  /** The last line of output: every figure, so runs can be compared mechanically. */
  printJson(): void {
    process.stdout.write(`${JSON.stringify(this.figures)}\n`);
  }
}

export function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100;
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Runs `count` tasks with at most `concurrency` in flight; returns each task's latency in ms. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const started = performance.now();
      await task(i);
      latencies[i] = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return latencies;
}
