import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { NetworkError } from './errors';
import { hostPort } from './hosts/hostAddress';

/** What we record about a process we started, so we only ever stop our own. */
export interface ProcessRecord {
  pid: number;
  binary: string;
  startedAt: string;
}

export interface StartOptions {
  binary: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  pidFile: string;
}

/** Starts a long-running program detached (own process group), output appended to its log. */
export async function startProcess(options: StartOptions): Promise<ProcessRecord> {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.binary, options.args, {
      env: options.env,
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', log, log],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (cause) => reject(new NetworkError('NODE_START_FAILED', `cannot start ${options.binary}: ${cause.message}`, { cause })));
      child.once('spawn', () => resolve(child.pid as number));
    });
    child.unref();
    const record: ProcessRecord = { pid, binary: options.binary, startedAt: new Date().toISOString() };
    await writeFile(options.pidFile, JSON.stringify(record));
    return record;
  } finally {
    closeSync(log);
  }
}

export function readProcessRecord(pidFile: string): ProcessRecord | undefined {
  if (!existsSync(pidFile)) return undefined;
  try {
    return JSON.parse(readFileSync(pidFile, 'utf8')) as ProcessRecord;
  } catch {
    return undefined;
  }
}

/** True when the recorded PID is alive and still runs the binary we started (PIDs get reused). */
export function isAlive(record: ProcessRecord | undefined): record is ProcessRecord {
  if (!record) return false;
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const argv0 = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 === record.binary;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Negative PID: the whole process group we created, which includes chaincode processes the
    // peer launched through our builder.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Stops a recorded process (SIGTERM, then SIGKILL after `graceMs`) and removes its PID file. */
export async function stopProcess(pidFile: string, graceMs = 10_000): Promise<'stopped' | 'not-running'> {
  const record = readProcessRecord(pidFile);
  if (!isAlive(record)) {
    await rm(pidFile, { force: true });
    return 'not-running';
  }
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isAlive(record)) await sleep(100);
  if (isAlive(record)) {
    signalGroup(record.pid, 'SIGKILL');
    while (isAlive(record)) await sleep(50);
  }
  await rm(pidFile, { force: true });
  return 'stopped';
}

/** Sends SIGKILL to the recorded process only (not its group): a crash, for failure tests. */
export function killProcess(pidFile: string): boolean {
  const record = readProcessRecord(pidFile);
  if (!isAlive(record)) return false;
  process.kill(record.pid, 'SIGKILL');
  return true;
}

function portFree(port: number, host: string): Promise<boolean> {
  // EADDRNOTAVAIL (not an address of this machine) counts as not free: nothing could listen there.
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Fails with PORT_IN_USE naming every port of `ports` something else already listens on (each on its host; default 127.0.0.1). */
export async function assertPortsFree(ports: readonly { port: number; owner: string; host?: string }[]): Promise<void> {
  const busy: string[] = [];
  for (const { port, owner, host } of ports) if (!(await portFree(port, host ?? '127.0.0.1'))) busy.push(`${hostPort(host ?? '127.0.0.1', port)} (${owner})`);
  if (busy.length > 0) {
    throw new NetworkError('PORT_IN_USE', `ports already in use: ${busy.join(', ')}; choose another ports.base (--port-base)`, { details: { busy } });
  }
}
