import type { PrivateChainsReader } from './privateChainsReader';
import { PrivateChainsSchema } from './privateChainsSchemas';
import { defineRoute, type RouteDefinition } from './routeDefinition';

/**
 * `GET /v1/network/private-chains`: the org's private chains linked through its RPC adapter and
 * each one's sync status, for the admin console. Always 200: an adapter that is not configured,
 * down or refusing is reported in the answer (`configured`, `reachable`, `reason`), not as a 5xx.
 */
export function privateChainsRoute(read: PrivateChainsReader): RouteDefinition {
  return defineRoute({
    operationId: 'getPrivateChains',
    method: 'get',
    path: '/v1/network/private-chains',
    tag: 'network',
    summary: 'The org\'s linked private chains and their sync status (from its RPC adapter)',
    description:
      'Asks the RPC adapter in the gateway configuration\'s `rpcAdapter` for its links and each one\'s sync status, over mutual TLS with the gateway\'s own Fabric identity, within 3 s; the adapter answers with this org\'s links only. Answers are cached for 5 s and shared by concurrent requests.',
    access: 'anyKey',
    responses: [{ status: 200, description: 'the links, also when the adapter is not configured or cannot be read', schema: PrivateChainsSchema }],
    async handler() {
      return { body: await read() };
    },
  });
}
