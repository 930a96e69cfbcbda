import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import type { GatewayConfig } from './gatewayConfig';
import { relaySiblingVerdicts } from './siblingVerdicts';

/** Environment variable telling a cluster worker which instance it is (0-based). */
export const INSTANCE_ENV = 'KYC_GATEWAY_INSTANCE';

/** Which instance this process is: undefined for a single-process gateway. */
export function instanceIndex(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[INSTANCE_ENV];
  return cluster.isWorker && raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/**
 * The configuration one instance serves: its own `instance-<i>` directory under `dataDir`, since
 * LevelDB lets one process open a store and replicas must not be shared between processes.
 */
export function instanceConfig(config: GatewayConfig, index: number | undefined): GatewayConfig {
  if (index === undefined || !config.dataDir) return config;
  return { ...config, dataDir: path.join(config.dataDir, `instance-${index}`) };
}

/** A worker dying this often within {@link CRASH_WINDOW_MS} stops the whole gateway (exit 1). */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
/** Longest the primary waits for its workers to stop before killing them. */
const STOP_TIMEOUT_MS = 30_000;

/**
 * The primary of a multi-instance gateway: forks `count` workers that all listen on the
 * configured port (node:cluster hands them the connections) and relays their questions for each
 * other's verdicts. A worker that dies unexpectedly is started again after a back-off (1 s,
 * doubling to 30 s); one that keeps dying ({@link MAX_CRASHES} times in a minute, e.g. a bad
 * identity or a store held by another process) stops the gateway with exit code 1, so a service
 * manager sees a failure rather than a gateway restarting for ever. SIGINT/SIGTERM stop every
 * worker, killed after {@link STOP_TIMEOUT_MS}, then the primary exits 0.
 */
export function runInstances(count: number, log: (line: string) => void): void {
  let stopping = false;
  const crashes = new Map<number, number[]>();
  relaySiblingVerdicts();
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ [INSTANCE_ENV]: String(index) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      const recent = [...(crashes.get(index) ?? []), now].filter((t) => now - t < CRASH_WINDOW_MS);
      crashes.set(index, recent);
      if (recent.length >= MAX_CRASHES) {
        log(`instance ${index} exited (${signal ?? code}) ${recent.length} times within ${CRASH_WINDOW_MS / 1000} s; stopping the gateway`);
        stop('instance failing', 1);
        return;
      }
      const delay = Math.min(30_000, 1000 * 2 ** (recent.length - 1));
      log(`instance ${index} exited (${signal ?? code}); starting it again in ${delay / 1000} s`);
      setTimeout(() => {
        if (!stopping) fork(index);
      }, delay);
    });
    return worker;
  };
  const stop = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    log(`${reason}, stopping ${workers.length} instances`);
    if (workers.length === 0) process.exit(exitCode);
    let left = workers.length;
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) process.exit(exitCode);
      });
      w.process.kill('SIGTERM');
    }
    setTimeout(() => {
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
      process.exit(exitCode);
    }, STOP_TIMEOUT_MS).unref();
  };
  for (let i = 0; i < count; i++) fork(i);
  process.once('SIGINT', () => stop('SIGINT', 0));
  process.once('SIGTERM', () => stop('SIGTERM', 0));
}
