import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { run } from './exec';
import { binaryPath, type FabricInstall } from './fabricBinaries';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork } from './networkConfig';

/** The org that runs the RPC adapter: the owner of the first private chain (none without one). */
export function rpcAdapterOrg(net: ResolvedNetwork): string | undefined {
  return net.privateChains[0]?.org;
}

/**
 * A node's TLS certificate names its host (peers, orderers and clients dial that address and
 * check it) and loopback, which local probes and tools use as the TLS server name.
 */
function sans(host: string): string[] {
  return [...new Set(['localhost', '127.0.0.1', host])];
}

/**
 * The host name of the RPC adapter's node spec: cryptogen issues the adapter's TLS server
 * certificate from the running org's TLS CA, like a peer's (peers/<name>.<domain>/tls/).
 */
export const RPC_ADAPTER_HOST = 'rpc-adapter';

/**
 * cryptogen's input for the network: one CA per org, node OUs, one admin and one client user, and
 * a node spec for the RPC adapter in the org that runs it (its TLS server certificate).
 */
export function renderCryptoConfig(net: ResolvedNetwork): string {
  return stringify({
    OrdererOrgs: [
      {
        Name: net.ordererOrg.name,
        Domain: net.ordererOrg.domain,
        EnableNodeOUs: true,
        Specs: net.ordererOrg.nodes.map((n) => ({ Hostname: n.name, SANS: sans(n.host) })),
      },
    ],
    PeerOrgs: net.orgs.map((org) => ({
      Name: org.name,
      Domain: org.domain,
      EnableNodeOUs: true,
      Specs: [
        ...org.peers.map((p) => ({ Hostname: p.name, SANS: sans(p.host) })),
        ...(rpcAdapterOrg(net) === org.name ? [{ Hostname: RPC_ADAPTER_HOST, SANS: sans(org.host) }] : []),
      ],
      Users: { Count: 1 },
    })),
  });
}

/**
 * Generates the crypto material once; later runs keep it (a network's identities must survive
 * restarts). `cryptogen extend` adds material for orgs or nodes added to network.yaml since.
 */
export async function ensureCryptoMaterial(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall): Promise<'generated' | 'extended'> {
  await mkdir(layout.configDir, { recursive: true });
  const configFile = path.join(layout.configDir, 'crypto-config.yaml');
  await writeFile(configFile, renderCryptoConfig(net));
  const fresh = !existsSync(layout.cryptoDir);
  const args = fresh
    ? ['generate', `--config=${configFile}`, `--output=${layout.cryptoDir}`]
    : ['extend', `--config=${configFile}`, `--input=${layout.cryptoDir}`];
  await run(binaryPath(fabric, 'cryptogen'), args);
  return fresh ? 'generated' : 'extended';
}
