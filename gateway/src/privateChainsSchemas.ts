import { z } from 'zod';
import { named } from './schemaRegistry';

export const LinkedChainSchema = named('LinkedChain', z.object({
  linkId: z.string(),
  asset: z.string().describe('the asset whose authenticated addresses the chain\'s token mirrors'),
  chainId: z.number().int().describe('the EVM chain id'),
  contract: z.string().describe('the registry token contract\'s address on the chain'),
  syncAccount: z.string().describe('the EVM account the adapter writes the changes with'),
  appliedSeq: z.number().int().describe('the last registry change applied on the chain (and final there)'),
  ledgerHead: z.number().int().describe('the asset\'s last registry change on the ledger'),
  lag: z.number().int().describe('changes the chain is behind the ledger (ledgerHead - appliedSeq)'),
  lastError: z.string().optional().describe('the sync driver\'s last error, as the adapter reports it'),
}), 'One private chain linked to an asset through the RPC adapter, with its sync status');

export const PrivateChainsSchema = named('PrivateChains', z.object({
  org: z.string().describe('the MSP id of this gateway\'s org: the adapter lists only its links'),
  configured: z.boolean().describe('false: this gateway has no rpcAdapter configured'),
  reachable: z.boolean().optional().describe('when configured: whether the adapter answered within the deadline'),
  reason: z.string().optional().describe('why the adapter could not be read'),
  checkedAt: z.string().describe('when the adapter was read (answers are cached for 5 s)'),
  links: z.array(LinkedChainSchema),
}), 'The org\'s linked private chains and their sync status, as its RPC adapter reports them');

/** The answer of `GET /v1/network/private-chains`. */
export type PrivateChains = z.output<typeof PrivateChainsSchema>;

/** One linked chain in {@link PrivateChains}. */
export type LinkedChain = z.output<typeof LinkedChainSchema>;
