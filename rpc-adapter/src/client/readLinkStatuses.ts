import type { AdapterClient } from './adapterClient';

/** One of the caller org's links and where its sync stands, flattened from ListLinks and GetSyncStatus. */
export interface LinkStatus {
  linkId: string;
  asset: string;
  chainId: number;
  rpcUrl: string;
  contract: string;
  syncAccount: string;
  appliedSeq: number;
  ledgerHead: number;
  lag: number;
  /** Absent when the driver has had no error since its last success. */
  lastError?: string;
}

/** The caller org's links with each one's sync status (what `kyc-network status` and the gateways show). */
export async function readLinkStatuses(client: Pick<AdapterClient, 'listLinks' | 'getSyncStatus'>): Promise<LinkStatus[]> {
  const { links } = await client.listLinks();
  return Promise.all(
    links.map(async (link): Promise<LinkStatus> => {
      const sync = await client.getSyncStatus(link.linkId);
      return {
        linkId: link.linkId,
        asset: link.asset,
        chainId: link.chain.chainId,
        rpcUrl: link.chain.rpcUrl,
        contract: link.chain.contractAddress,
        syncAccount: link.syncAccount,
        appliedSeq: sync.appliedSeq,
        ledgerHead: sync.ledgerHead,
        lag: sync.lag,
        ...(sync.lastError !== '' && { lastError: sync.lastError }),
      };
    }),
  );
}
