import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { NetworkError } from './errors';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrg } from './networkConfig';
import { hostPort, hostUrl } from './hosts/hostAddress';
import { rpcAdapterEndpoint } from './rpcAdapterProcess';

/** Where one org's REST gateway listens and how to reach it. */
export interface GatewayEndpoint {
  id: string;
  org: string;
  role: string;
  host: string;
  port: number;
  url: string;
  /** A demo API key for the org's role (stored in clear only in the data directory, mode 0600). */
  apiKey: string;
  /** The org's governance (`admin` role) API key, kept like {@link apiKey}. */
  adminApiKey: string;
}

/** Gateways take base+10+i for the i-th member org (base+0…49 is kept for services). */
const GATEWAY_OFFSET = 10;

export function gatewayId(org: ResolvedOrg): string {
  return `gateway.${org.name}`;
}

export function gatewayEndpoints(net: ResolvedNetwork, layout: NetworkLayout): GatewayEndpoint[] {
  const keys = readKeys(layout);
  return memberOrgs(net).map((org, i) => {
    const port = net.portBase + GATEWAY_OFFSET + i;
    return { id: gatewayId(org), org: org.name, role: org.role, host: org.host, port, url: hostUrl('http', org.host, port), apiKey: keys[org.name] ?? '', adminApiKey: keys[adminKeyName(org)] ?? '' };
  });
}

function memberOrgs(net: ResolvedNetwork): ResolvedOrg[] {
  return net.orgs.filter((o) => net.channel.members.includes(o.name));
}

/** The admin key's entry in the keys file (beside the org's role key, named by the org). */
function adminKeyName(org: ResolvedOrg): string {
  return `${org.name}.admin`;
}

function keysFile(layout: NetworkLayout): string {
  return path.join(layout.root, 'gateways', 'api-keys.json');
}

function readKeys(layout: NetworkLayout): Record<string, string> {
  return existsSync(keysFile(layout)) ? (JSON.parse(readFileSync(keysFile(layout), 'utf8')) as Record<string, string>) : {};
}

/** The gateway CLI of this repository (the gateway is a sibling workspace package). */
export function gatewayCli(): string {
  const cli = path.resolve(__dirname, '..', '..', 'gateway', 'dist', 'cli.js');
  if (!existsSync(cli)) throw new NetworkError('NODE_START_FAILED', `gateway is not built (${cli}); run npm run build`);
  return cli;
}

/**
 * Writes each member org's gateway configuration: the org's client identity from the crypto
 * material, its peer, and one API key for its role. Keys are created once and kept, so clients
 * configured earlier keep working across restarts; the config holds only their SHA-256.
 */
export async function writeGatewayConfigs(net: ResolvedNetwork, layout: NetworkLayout): Promise<GatewayEndpoint[]> {
  const dir = path.join(layout.root, 'gateways');
  await mkdir(dir, { recursive: true });
  const keys = readKeys(layout);
  for (const org of memberOrgs(net)) {
    keys[org.name] ??= `kyc_${org.name}_${randomBytes(18).toString('base64url')}`;
    keys[adminKeyName(org)] ??= `kyc_${org.name}_admin_${randomBytes(18).toString('base64url')}`;
  }
  await writeFile(keysFile(layout), JSON.stringify(keys, null, 2), { mode: 0o600 });
  const endpoints = gatewayEndpoints(net, layout);
  const walletUrl = webWalletUrl(endpoints);
  const rpcAdapter = gatewayRpcAdapter(net, layout);
  for (const [i, org] of memberOrgs(net).entries()) {
    const peer = org.peers[0];
    const endpoint = endpoints[i];
    if (!peer || !endpoint) continue;
    const user = layout.orgUser(org);
    // The org's own Admin, for its governance routes only: every org's gateway holds its own
    // admin key and never another org's.
    const admin = layout.orgAdmin(org);
    const config = {
      org: { name: org.name, mspId: org.mspId, role: org.role, displayName: org.displayName },
      listen: { host: endpoint.host, port: endpoint.port },
      peer: { endpoint: hostPort(peer.host, peer.port), hostNameOverride: peer.hostname, tlsCaPath: layout.peer(org, peer).tlsCa },
      identity: { certPath: path.join(user.msp, 'signcerts'), keyPath: path.join(user.msp, 'keystore') },
      adminIdentity: { certPath: path.join(admin.msp, 'signcerts'), keyPath: path.join(admin.msp, 'keystore') },
      consortium: net.name,
      channel: net.channel.name,
      chaincode: net.chaincode.name,
      // The gateway's embedded store (replica and follower checkpoint) lives in its own node dir.
      dataDir: path.join(layout.nodeDir(gatewayId(org)), 'data'),
      apiKeys: [
        { id: `${org.name}-demo`, keyHash: createHash('sha256').update(endpoint.apiKey).digest('hex'), role: org.role },
        { id: `${org.name}-admin`, keyHash: createHash('sha256').update(endpoint.adminApiKey).digest('hex'), role: 'admin' },
      ],
      publicBaseUrl: endpoint.url,
      nodes: networkNodes(net),
      // Every bank's QR code sends the phone to the one web wallet, which posts to every gateway.
      ...(walletUrl && { walletUrl, cors: { enabled: true, origins: [new URL(walletUrl).origin] } }),
      ...(net.gatewayRateLimit && { rateLimit: net.gatewayRateLimit }),
      // Each org's gateway asks the adapter for its own org's linked chains (the admin console).
      ...(rpcAdapter && { rpcAdapter }),
      // Several processes on the gateway's one port, each with its own store under dataDir.
      ...((net.gatewayInstances?.[org.name] ?? 1) > 1 && { instances: net.gatewayInstances?.[org.name] }),
      logLevel: 'info',
    };
    await writeFile(path.join(dir, `${org.name}.yaml`), stringify(config));
  }
  return endpoints;
}

/**
 * The network's RPC adapter as the gateways reach it: its address, the TLS CA of its org that
 * issued its server certificate, and `localhost`, which that certificate names besides the host
 * (an IP address is not a valid TLS server name). Undefined when the network runs no adapter, or
 * when this machine lacks that CA (another org's host): the gateway then reports it not configured.
 */
export function gatewayRpcAdapter(net: ResolvedNetwork, layout: NetworkLayout): { address: string; serverCaPath: string; serverName: string } | undefined {
  const adapter = rpcAdapterEndpoint(net, layout);
  if (!adapter || !existsSync(adapter.serverCaFile)) return undefined;
  return { address: adapter.address, serverCaPath: adapter.serverCaFile, serverName: 'localhost' };
}

/**
 * Every peer and orderer of the network with its operations service, for the gateways'
 * `GET /v1/network/status` (the admin console's node table).
 */
export function networkNodes(net: ResolvedNetwork): { name: string; kind: 'peer' | 'orderer'; org: string; operationsUrl: string }[] {
  return [
    ...net.orgs.flatMap((org) => org.peers.map((peer) => ({ name: peer.id, kind: 'peer' as const, org: org.name, operationsUrl: hostUrl('http', peer.host, peer.operationsPort) }))),
    ...net.ordererOrg.nodes.map((node) => ({ name: node.id, kind: 'orderer' as const, org: net.ordererOrg.name, operationsUrl: hostUrl('http', node.host, node.operationsPort) })),
  ];
}

/**
 * The web wallet's address: the pages of the first certifier org's gateway (the person meets the
 * certifier first, and browser storage is per origin, so the wallet must live at one origin).
 */
export function webWalletUrl(endpoints: readonly GatewayEndpoint[]): string | undefined {
  const home = endpoints.find((e) => e.role === 'certifier');
  return home && `${home.url}/app/wallet/`;
}

export function gatewayConfigFile(layout: NetworkLayout, orgName: string): string {
  return path.join(layout.root, 'gateways', `${orgName}.yaml`);
}
