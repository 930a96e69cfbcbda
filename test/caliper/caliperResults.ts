/** One row of Caliper's summary table (its report's columns). */
export interface CaliperRound {
  name: string;
  succ: number;
  fail: number;
  sendRate: number;
  maxLatency: number;
  minLatency: number;
  avgLatency: number;
  throughput: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * The rounds of Caliper's printed result tables (`| Name | Succ | Fail | Send Rate (TPS) | …`),
 * the last printing of a round winning: Caliper prints each round's table as it ends and all of
 * them again at the end.
 */
export function parseCaliperTables(output: string): CaliperRound[] {
  const rounds = new Map<string, CaliperRound>();
  for (const raw of output.replace(ANSI, '').split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('|') || !line.endsWith('|')) continue;
    const cells = line.slice(1, -1).split('|').map((c) => c.trim());
    if (cells.length !== 8 || cells[0] === 'Name') continue;
    const [name, ...numbers] = cells as [string, ...string[]];
    const values = numbers.map(Number);
    if (values.some((v) => !Number.isFinite(v))) continue;
    const [succ, fail, sendRate, maxLatency, minLatency, avgLatency, throughput] = values as [number, number, number, number, number, number, number];
    rounds.set(name, { name, succ, fail, sendRate, maxLatency, minLatency, avgLatency, throughput });
  }
  return [...rounds.values()];
}

/** The rounds as a markdown table (the README's form), latencies in seconds as Caliper gives them. */
export function markdownTable(rounds: readonly CaliperRound[]): string {
  const header = '| Round | Succ | Fail | Send rate (TPS) | Max latency (s) | Min latency (s) | Avg latency (s) | Throughput (TPS) |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = rounds.map((r) => `| ${r.name} | ${r.succ} | ${r.fail} | ${r.sendRate} | ${r.maxLatency} | ${r.minLatency} | ${r.avgLatency} | ${r.throughput} |`);
  return [header, rule, ...rows].join('\n');
}
