import { readFileSync } from 'node:fs';
// The client module alone: the adapter package's index loads its server, EVM and storage code.
import { createAdapterClient } from '@kyc-ledger/rpc-adapter/dist/client/adapterClient';
import type { GatewayConfig, RpcAdapterConfig } from './gatewayConfig';
import { PRIVATE_CHAINS_DEADLINE_MS, type AdapterConnector } from './privateChainsReader';

/**
 * Connects to the org's RPC adapter with the gateway's own Fabric identity as the TLS client
 * certificate (issued by the org's MSP CA, which the adapter trusts). The files are read once, at
 * start; each read opens its own channel, so an adapter started after the gateway is found at once
 * rather than after a long reconnect back-off.
 */
export function rpcAdapterConnector(adapter: RpcAdapterConfig, identity: GatewayConfig['identity']): AdapterConnector {
  const serverCaPem = readFileSync(adapter.serverCaPath);
  const certPem = readFileSync(identity.certPath);
  const keyPem = readFileSync(identity.keyPath);
  return () =>
    createAdapterClient({
      address: adapter.address,
      serverCaPem,
      certPem,
      keyPem,
      ...(adapter.serverName && { serverName: adapter.serverName }),
      timeoutMs: PRIVATE_CHAINS_DEADLINE_MS,
    });
}
