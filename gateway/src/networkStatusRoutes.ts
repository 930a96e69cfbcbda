import type { ChaincodeVersion } from '@kyc-ledger/api';
import type { ChaincodeDefinition, LedgerClient } from './fabricClient';
import type { NetworkNodeConfig } from './gatewayConfig';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';
import { probeNode } from './nodeProbe';
import { NetworkStatusQuerySchema, NetworkStatusSchema } from './networkStatusSchemas';
import { defineRoute, type RouteDefinition } from './routeDefinition';

/** What the network status route is built from. */
export interface NetworkStatusOptions {
  ledger: LedgerClient;
  org: string;
  channel: string;
  chaincode: string;
  /** The nodes to probe (gateway config `nodes`). */
  nodes: readonly NetworkNodeConfig[];
  /** Bound of each probe and each ledger read. */
  timeoutMs: number;
}

interface Problem {
  code: string;
  message: string;
}

/** Settles `work` within `ms`: its value, or the coded problem (a timeout is UPSTREAM_UNAVAILABLE). */
async function bounded<T>(work: (() => Promise<T>) | undefined, what: string, ms: number): Promise<{ value: T } | { problem: Problem }> {
  if (!work) return { problem: { code: G.UPSTREAM_UNAVAILABLE, message: `this gateway's ledger client cannot read ${what}` } };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new GatewayError(G.UPSTREAM_UNAVAILABLE, `${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return { value: await Promise.race([work(), timeout]) };
  } catch (error) {
    // Only the gateway's own coded errors carry text meant for clients (no raw peer output).
    return { problem: error instanceof GatewayError ? { code: error.code, message: error.message } : { code: G.INTERNAL, message: `${what} failed` } };
  } finally {
    clearTimeout(timer);
  }
}

/** How long one answer of `GET /v1/network/status` is reused (the reads run at most this often). */
export const NETWORK_STATUS_REUSE_MS = 5_000;

/**
 * `GET /v1/network/status`: each configured node's health and height, the gateway's own peer's
 * height and the chaincode's committed definition and running build, for the admin console.
 * Everything is read at once, each part bounded by the probe timeout, and a part that fails is
 * reported in place (a node `down` with its reason, a ledger read with its code): the answer is
 * 200 whatever the network's state, so a sick network is shown, not hidden behind a 5xx.
 */
export function networkStatusRoutes(options: NetworkStatusOptions): RouteDefinition[] {
  const { ledger, timeoutMs } = options;
  const shared = new Map<string, { at: number; answer: ReturnType<typeof read> }>();
  return [
    defineRoute({
      operationId: 'getNetworkStatus',
      method: 'get',
      path: '/v1/network/status',
      tag: 'network',
      summary: 'Health and block height of each node, and the chaincode version',
      description: 'Probes the operations service (/healthz, /metrics) of every node in the gateway configuration\'s `nodes` in parallel, each within timeouts.nodeProbeMs; a node that does not answer is reported down with the reason. One answer is reused for 5 s (`checkedAt` says when it was read).',
      access: 'anyKey',
      query: NetworkStatusQuerySchema,
      responses: [{ status: 200, description: 'the status, also when nodes are down', schema: NetworkStatusSchema }],
      handler({ query }) {
        // Every call fans out to every node: answers are shared for a few seconds, so many consoles
        // (or a script) cannot turn this route into a load on the nodes.
        const key = query.kind ?? '';
        const cached = shared.get(key);
        if (cached && Date.now() - cached.at < NETWORK_STATUS_REUSE_MS) return cached.answer;
        const answer = read(query.kind);
        shared.set(key, { at: Date.now(), answer });
        return answer;
      },
    }),
  ];

  async function read(kind: 'peer' | 'orderer' | undefined) {
    const checkedAt = new Date().toISOString();
    const nodes = options.nodes.filter((n) => kind === undefined || n.kind === kind);
    const heightRead = ledger.chainHeight?.bind(ledger);
    const definitionRead = ledger.chaincodeDefinition?.bind(ledger);
    const [statuses, height, definition, build] = await Promise.all([
      Promise.all(nodes.map((node) => probeNode(node, options.channel, timeoutMs))),
      bounded(heightRead, 'the peer\'s height', timeoutMs),
      bounded<ChaincodeDefinition>(definitionRead, 'the chaincode definition', timeoutMs),
      bounded(() => ledger.evaluate<ChaincodeVersion>(F.PROBE_VERSION, []), 'the chaincode build', timeoutMs),
    ]);
    const errors = [definition, build].flatMap((r) => ('problem' in r ? [r.problem] : []));
    return {
      body: {
        org: options.org,
        channel: options.channel,
        checkedAt,
        peer: 'value' in height ? { height: Number(height.value) } : { height: null, error: height.problem },
        chaincode: {
          name: options.chaincode,
          definition: 'value' in definition ? { version: definition.value.version, sequence: definition.value.sequence } : null,
          build: 'value' in build ? { packageId: build.value.packageId, label: build.value.label, version: build.value.version } : null,
          ...(errors.length > 0 && { errors }),
        },
        nodes: statuses,
      },
    };
  }
}
