import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface PidRecord {
  pid: number;
  binary: string;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stop(pid: number): Promise<void> {
  // SIGTERM: the gateway closes and exits normally, which is when --cpu-prof writes its profile.
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) throw new Error(`gateway ${pid} did not stop within 30 s`);
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`${url} not ready within 120 s`);
}

/**
 * Restarts one of the network's gateways with extra Node.js options (the V8 profiler), with the
 * same command line, working directory, log and PID file, so `network down` still stops it.
 * Only the gateway is restarted: NODE_OPTIONS would also reach the processes it starts, and the
 * rest of the network is left as it runs.
 */
export async function restartGateway(nodeDir: string, url: string, nodeArgs: readonly string[]): Promise<void> {
  const pidFile = path.join(nodeDir, 'node.pid');
  const record = JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  const argv = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0').filter((a) => a.length > 0);
  // The original: node [node options…] <gateway cli.js> start --config <file>; keep what follows node.
  const cli = argv.findIndex((a) => a.endsWith(path.join('gateway', 'dist', 'cli.js')));
  if (cli < 0) throw new Error(`process ${record.pid} is not a gateway: ${argv.join(' ')}`);
  await stop(record.pid);
  const log = openSync(path.join(nodeDir, 'node.log'), 'a');
  try {
    const child = spawn(record.binary, [...nodeArgs, ...argv.slice(cli)], {
      cwd: nodeDir, env: { PATH: process.env.PATH, HOME: process.env.HOME }, detached: true, stdio: ['ignore', log, log],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve());
    });
    child.unref();
    writeFileSync(pidFile, JSON.stringify({ pid: child.pid as number, binary: record.binary, startedAt: new Date().toISOString() } satisfies PidRecord));
  } finally {
    closeSync(log);
  }
  await waitReady(url);
}

/**
 * Runs `during` with the gateway under the V8 CPU profiler and returns the profiles' paths (one
 * per process: cluster workers inherit the option): the gateway is restarted with `--cpu-prof`
 * before and restarted plainly after (which writes them).
 */
export async function profileGateway<T>(nodeDir: string, url: string, profileDir: string, during: () => Promise<T>): Promise<{ result: T; profiles: string[] }> {
  mkdirSync(profileDir, { recursive: true });
  const before = new Set(readdirSync(profileDir));
  await restartGateway(nodeDir, url, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
  let result: T;
  try {
    result = await during();
  } finally {
    await restartGateway(nodeDir, url, []);
  }
  const written = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  if (written.length === 0) throw new Error(`the profiled gateway wrote no profile into ${profileDir}`);
  return { result, profiles: written.map((f) => path.join(profileDir, f)) };
}
