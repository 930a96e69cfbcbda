import { NetworkError } from './errors';
import { hostUrl } from './hosts/hostAddress';

export interface HealthStatus {
  status: string;
  failedChecks?: { component: string; reason: string }[];
}

/** Reads a Fabric node's operations /healthz; undefined when it does not answer. */
export async function readHealth(host: string, port: number): Promise<HealthStatus | undefined> {
  try {
    const res = await fetch(`${hostUrl('http', host, port)}/healthz`, { signal: AbortSignal.timeout(2000) });
    return (await res.json()) as HealthStatus;
  } catch {
    return undefined;
  }
}

/** Waits until /healthz says OK; fails early when `stillRunning` says the process died. */
export async function waitHealthy(id: string, host: string, port: number, stillRunning: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: HealthStatus | undefined;
  while (Date.now() < deadline) {
    last = await readHealth(host, port);
    if (last?.status === 'OK') return;
    if (!stillRunning()) throw new NetworkError('NODE_START_FAILED', `${id} exited during start-up (see its log: kyc-network logs ${id})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new NetworkError('NODE_UNHEALTHY', `${id} is not healthy after ${timeoutMs / 1000} s: ${JSON.stringify(last ?? 'no answer')}`, { details: last });
}

/** True when `url` answers 200 within two seconds. */
export async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Waits until `url` answers 200 (a gateway's /readyz); fails early when the process died. */
export async function waitHttpOk(id: string, url: string, stillRunning: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await httpOk(url)) return;
    if (!stillRunning()) throw new NetworkError('NODE_START_FAILED', `${id} exited during start-up (see its log: kyc-network logs ${id})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new NetworkError('NODE_UNHEALTHY', `${id} is not ready after ${timeoutMs / 1000} s (${url})`);
}
