import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The kinds of process a verification spends CPU in; `client` is the measuring process itself. */
export const PROCESS_KINDS = ['gateway', 'peer', 'chaincode', 'orderer', 'client', 'other'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

/** CPU time (ms) per process kind, and how many processes of each kind were counted. */
export interface CpuSample {
  ms: Record<ProcessKind, number>;
  processes: Record<ProcessKind, number>;
}

let clockTicks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (`getconf CLK_TCK`, 100 nearly everywhere). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

interface ProcStat {
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: parse after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // Gone between listing and reading.
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a.length > 0);
  } catch {
    return [];
  }
}

/** The PIDs the network recorded (nodes/<id>/node.pid), each with the kind its command line shows. */
function recordedProcesses(networkRoot: string): Map<number, ProcessKind> {
  const found = new Map<number, ProcessKind>();
  const nodes = path.join(networkRoot, 'nodes');
  let ids: string[];
  try {
    ids = readdirSync(nodes);
  } catch {
    return found;
  }
  for (const id of ids) {
    let pid: number;
    try {
      pid = (JSON.parse(readFileSync(path.join(nodes, id, 'node.pid'), 'utf8')) as { pid: number }).pid;
    } catch {
      continue;
    }
    const argv = cmdline(pid);
    const binary = path.basename(argv[0] ?? '');
    const kind: ProcessKind = binary === 'peer' ? 'peer' : binary === 'orderer' ? 'orderer' : argv.some((a) => /gateway[\\/]dist[\\/]cli\.js$/.test(a)) ? 'gateway' : 'other';
    if (argv.length > 0) found.set(pid, kind);
  }
  return found;
}

/**
 * Reads the CPU time (utime + stime from /proc/<pid>/stat) of every process of a network, by
 * kind. Fabric nodes and gateways are found from the PID files the network writes; chaincode
 * processes are whatever runs below a peer (the peer starts them through our external builder, a
 * node wrapper that spawns the shim), found by walking /proc's parent links; `client` is this
 * process. Linux only.
 */
export function sampleNetworkCpu(networkRoot: string): CpuSample & { byPid: Map<number, { kind: ProcessKind; ticks: number }> } {
  const recorded = recordedProcesses(networkRoot);
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  const kindOf = (pid: number): ProcessKind | undefined => {
    if (pid === process.pid) return 'client';
    const direct = recorded.get(pid);
    if (direct) return direct;
    // Walk up: a descendant of a peer is chaincode; of another recorded process, that process's kind.
    for (let p = stats.get(pid)?.ppid, depth = 0; p !== undefined && p > 1 && depth < 16; p = stats.get(p)?.ppid, depth++) {
      const ancestor = recorded.get(p);
      if (ancestor) return ancestor === 'peer' ? 'chaincode' : ancestor;
    }
    return undefined;
  };
  const byPid = new Map<number, { kind: ProcessKind; ticks: number }>();
  for (const [pid, stat] of stats) {
    const kind = kindOf(pid);
    if (kind) byPid.set(pid, { kind, ticks: stat.ticks });
  }
  return { ...summarise(byPid), byPid };
}

function summarise(byPid: Map<number, { kind: ProcessKind; ticks: number }>): CpuSample {
  const ms = Object.fromEntries(PROCESS_KINDS.map((k) => [k, 0])) as Record<ProcessKind, number>;
  const processes = Object.fromEntries(PROCESS_KINDS.map((k) => [k, 0])) as Record<ProcessKind, number>;
  for (const { kind, ticks } of byPid.values()) {
    ms[kind] += (ticks * 1000) / ticksPerSecond();
    processes[kind]++;
  }
  return { ms, processes };
}

/**
 * CPU spent per process kind between two samples. A process present in both counts its
 * difference; one started in between counts whole (it started after `before`); one that ended in
 * between is lost, which a level does not normally see.
 */
export function cpuBetween(before: ReturnType<typeof sampleNetworkCpu>, after: ReturnType<typeof sampleNetworkCpu>): CpuSample {
  const delta = new Map<number, { kind: ProcessKind; ticks: number }>();
  for (const [pid, now] of after.byPid) delta.set(pid, { kind: now.kind, ticks: now.ticks - (before.byPid.get(pid)?.ticks ?? 0) });
  return summarise(delta);
}
