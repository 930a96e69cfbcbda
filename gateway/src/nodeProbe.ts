import type { NetworkNodeConfig } from './gatewayConfig';

/** A node's health as `GET /v1/network/status` reports it. */
export interface NodeStatus {
  name: string;
  kind: 'peer' | 'orderer';
  org: string;
  health: 'ok' | 'down';
  /** Why the node counts as down (unreachable, timed out, a failed check). */
  reason?: string;
  /** The channel's block height on that node; null when it is down or reports none. */
  height: number | null;
}

/**
 * The channel's height from a Fabric node's Prometheus text (`ledger_blockchain_height`, a gauge
 * labelled with the channel, which peers and orderers both expose); undefined when absent.
 */
export function blockchainHeightOf(metrics: string, channel: string): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('ledger_blockchain_height{')) continue;
    const match = /^ledger_blockchain_height\{([^}]*)\}\s+([0-9.eE+-]+)/.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const labels = new Map([...match[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const value = Number(match[2]);
    if (labels.get('channel') === channel && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** Most bytes read of a node's answer (a peer's /metrics is a few hundred KB): a node cannot make the gateway buffer more. */
export const MAX_PROBE_BODY_BYTES = 4 * 1024 * 1024;

/** The body's text, cut at `maxBytes` (the rest is not read). */
async function textUpTo(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

function reasonOf(error: unknown, url: string, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer from ${url} within ${timeoutMs} ms`;
  return `${url} could not be reached${e.cause?.code ? ` (${e.cause.code})` : ''}`;
}

/** The failed checks of a Fabric `/healthz` answer that is not OK, as one line. */
function failedChecks(body: unknown, status: number): string {
  const checks = (body as { failed_checks?: { component?: unknown; reason?: unknown }[] } | null)?.failed_checks;
  if (Array.isArray(checks) && checks.length > 0) return checks.map((c) => `${String(c.component)}: ${String(c.reason)}`).join('; ');
  return `healthz answered ${status}`;
}

/**
 * Probes one node's operations service: `/healthz` and `/metrics` at once, each bounded by
 * `timeoutMs`, so a hung node costs at most that long. Never throws: a node that does not
 * answer, or answers not OK, is `down` with the reason.
 */
export async function probeNode(node: NetworkNodeConfig, channel: string, timeoutMs: number): Promise<NodeStatus> {
  const base = node.operationsUrl.replace(/\/$/, '');
  const about = { name: node.name, kind: node.kind, org: node.org };
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    return { status: response.status, text: await textUpTo(response, MAX_PROBE_BODY_BYTES) };
  };
  const [health, metrics] = await Promise.allSettled([get('/healthz'), get('/metrics')]);
  if (health.status === 'rejected') return { ...about, health: 'down', reason: reasonOf(health.reason, `${base}/healthz`, timeoutMs), height: null };
  let body: unknown = null;
  try {
    body = JSON.parse(health.value.text);
  } catch {
    // Not Fabric's JSON: judged by the status alone.
  }
  const height = metrics.status === 'fulfilled' && metrics.value.status === 200 ? (blockchainHeightOf(metrics.value.text, channel) ?? null) : null;
  if (health.value.status !== 200 || (body as { status?: unknown } | null)?.status !== 'OK') {
    return { ...about, health: 'down', reason: failedChecks(body, health.value.status), height };
  }
  return { ...about, health: 'ok', height };
}
