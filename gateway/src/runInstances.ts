import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import type { GatewayConfig } from './gatewayConfig';

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

/**
 * The primary of a multi-instance gateway: forks `count` workers that all listen on the
 * configured port (node:cluster hands them the connections), starts a worker again when one dies
 * unexpectedly, and on SIGINT/SIGTERM stops them all before exiting.
 */
export function runInstances(count: number, log: (line: string) => void): void {
  let stopping = false;
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ [INSTANCE_ENV]: String(index) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      log(`instance ${index} exited (${signal ?? code}); starting it again`);
      // A worker that cannot start at all (bad config) exits at once: do not spin.
      setTimeout(() => fork(index), 1000).unref();
    });
    return worker;
  };
  for (let i = 0; i < count; i++) fork(i);
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}, stopping ${count} instances`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(0);
    let left = workers.length;
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      w.process.kill('SIGTERM');
    }
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
