import { z } from 'zod';
import { named } from './schemaRegistry';

/** Query of `GET /v1/network/status`. */
export const NetworkStatusQuerySchema = z.strictObject({
  kind: z.enum(['peer', 'orderer']).optional().describe('only nodes of this kind (default: all)'),
});

const problem = z.object({ code: z.string(), message: z.string() }).describe('why this part could not be read');

export const NodeStatusSchema = named('NodeStatus', z.object({
  name: z.string(),
  kind: z.enum(['peer', 'orderer']),
  org: z.string(),
  health: z.enum(['ok', 'down']).describe('ok: the node\'s /healthz answered OK within the probe timeout'),
  reason: z.string().optional().describe('why the node counts as down'),
  height: z.number().int().nullable().describe('the channel\'s block height on the node (ledger_blockchain_height); null when unknown'),
}), 'One Fabric node\'s health and height, as its operations service reports them');

export const NetworkStatusSchema = named('NetworkStatus', z.object({
  org: z.string(),
  channel: z.string(),
  checkedAt: z.string().describe('when the probes started'),
  peer: z.object({
    height: z.number().int().nullable().describe('the gateway\'s own peer\'s height (qscc GetChainInfo)'),
    error: problem.optional(),
  }),
  chaincode: z.object({
    name: z.string(),
    definition: z.object({ version: z.string(), sequence: z.number().int() }).nullable().describe('the definition committed on the channel (_lifecycle)'),
    build: z.object({ packageId: z.string().nullable(), label: z.string().nullable(), version: z.string() }).nullable().describe('the package the gateway\'s peer runs (probe:version)'),
    errors: z.array(problem).optional(),
  }),
  nodes: z.array(NodeStatusSchema).describe('the nodes in the gateway\'s configuration (nodes), in that order'),
}), 'The network as this gateway sees it');
