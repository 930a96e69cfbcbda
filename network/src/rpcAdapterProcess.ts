import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createAdapterClient, readLinkStatuses, type AdapterClient, type LinkStatus } from '@kyc-ledger/rpc-adapter';
import { stringify } from 'yaml';
import { RPC_ADAPTER_HOST, rpcAdapterOrg } from './cryptoMaterial';
import { NetworkError } from './errors';
import { DEV_CHAIN_ID } from './geth/chainClient';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrg } from './networkConfig';
import { hostPort } from './hosts/hostAddress';

/** The adapter's node id: nodes/rpc-adapter/ holds its config, secrets, store, log and PID. */
export const RPC_ADAPTER_ID = 'rpc-adapter';
/** The adapter listens on base+0 (base+0…9 is kept for it and later services). */
const ADAPTER_OFFSET = 0;

/** Where the network's RPC adapter listens, which org runs it and how that org's client reaches it. */
export interface RpcAdapterEndpoint {
  id: string;
  /** The org that runs it (the owner of the default private chain). */
  org: string;
  mspId: string;
  host: string;
  port: number;
  address: string;
  configFile: string;
  /** The CA that issued its TLS server certificate: the org's TLS CA. */
  serverCaFile: string;
  /** A client certificate of the org (its client user's MSP certificate) and key, for status calls. */
  clientCertFile: string;
  clientKeyFile: string;
}

function onlyFile(dir: string): string {
  const name = readdirSync(dir).sort()[0];
  if (!name) throw new NetworkError('NODE_START_FAILED', `no file in ${dir}`);
  return path.join(dir, name);
}

function memberOrgs(net: ResolvedNetwork): ResolvedOrg[] {
  return net.orgs.filter((o) => net.channel.members.includes(o.name));
}

/** The network's adapter, or undefined when it has no private chain (nothing to link). */
export function rpcAdapterEndpoint(net: ResolvedNetwork, layout: NetworkLayout): RpcAdapterEndpoint | undefined {
  const org = net.orgs.find((o) => o.name === rpcAdapterOrg(net));
  if (!org) return undefined;
  const user = layout.orgUser(org);
  const port = net.portBase + ADAPTER_OFFSET;
  const dir = layout.nodeDir(RPC_ADAPTER_ID);
  const signcerts = path.join(user.msp, 'signcerts');
  const keystore = path.join(user.msp, 'keystore');
  return {
    id: RPC_ADAPTER_ID,
    org: org.name,
    mspId: org.mspId,
    host: org.host,
    port,
    address: hostPort(org.host, port),
    configFile: path.join(dir, 'adapter.yaml'),
    serverCaFile: layout.orgTlsCa(org),
    clientCertFile: existsSync(signcerts) ? onlyFile(signcerts) : signcerts,
    clientKeyFile: existsSync(keystore) ? onlyFile(keystore) : keystore,
  };
}

/** A secret file created once (mode 0600) and kept: tokens and sync accounts derive from it. */
async function ensureSecret(file: string): Promise<void> {
  if (!existsSync(file)) await writeFile(file, randomBytes(32), { mode: 0o600 });
}

/**
 * Writes the adapter's configuration: mTLS for every member org (their MSP CAs), its TLS server
 * certificate from cryptogen, the running org's client identity and peer for following the
 * channel, and auto-linking of that org's new assets to each of its private chains (funded from
 * the dev account).
 */
export async function writeRpcAdapterConfig(net: ResolvedNetwork, layout: NetworkLayout, endpoint: RpcAdapterEndpoint): Promise<void> {
  const org = net.orgs.find((o) => o.name === endpoint.org);
  const peer = org?.peers[0];
  if (!org || !peer) throw new NetworkError('NODE_START_FAILED', `the RPC adapter's org ${endpoint.org} has no peer`);
  const dir = layout.nodeDir(RPC_ADAPTER_ID);
  await mkdir(dir, { recursive: true });
  await ensureSecret(path.join(dir, 'token-secret'));
  await ensureSecret(path.join(dir, 'sync-master-secret'));
  const tlsDir = path.join(layout.cryptoDir, 'peerOrganizations', org.domain, 'peers', `${RPC_ADAPTER_HOST}.${org.domain}`, 'tls');
  const user = layout.orgUser(org);
  const config = {
    listen: { host: endpoint.host, port: endpoint.port },
    dataDir: path.join(dir, 'data'),
    tls: { certFile: path.join(tlsDir, 'server.crt'), keyFile: path.join(tlsDir, 'server.key') },
    orgs: memberOrgs(net).map((o) => {
      const cacerts = path.join(layout.orgMsp(o), 'cacerts');
      return { mspId: o.mspId, caCertFiles: readdirSync(cacerts).map((f) => path.join(cacerts, f)) };
    }),
    tokenSecretFile: path.join(dir, 'token-secret'),
    ledger: {
      mspId: org.mspId,
      channel: net.channel.name,
      chaincode: net.chaincode.name,
      peer: { endpoint: hostPort(peer.host, peer.port), hostNameOverride: peer.hostname, tlsCaPath: layout.peer(org, peer).tlsCa },
      identity: { certPath: path.join(user.msp, 'signcerts'), keyPath: path.join(user.msp, 'keystore') },
    },
    sync: {
      masterSecretFile: path.join(dir, 'sync-master-secret'),
      autoLink: net.privateChains
        .filter((c) => c.org === org.name)
        .map((c) => ({ org: org.mspId, chain: { chainId: DEV_CHAIN_ID, rpcUrl: c.httpUrl, confirmations: 1 }, fundFromDevAccount: true })),
    },
    logLevel: 'info',
  };
  await writeFile(endpoint.configFile, stringify(config));
}

/** The adapter CLI of this repository (a sibling workspace package). */
export function rpcAdapterCli(): string {
  const cli = path.resolve(__dirname, '..', '..', 'rpc-adapter', 'dist', 'cli.js');
  if (!existsSync(cli)) throw new NetworkError('NODE_START_FAILED', `rpc-adapter is not built (${cli}); run npm run build`);
  return cli;
}

/** A client of the adapter as the running org (its client user's certificate). */
export function rpcAdapterClient(endpoint: RpcAdapterEndpoint): AdapterClient {
  return createAdapterClient({
    address: endpoint.address,
    serverCaPem: readFileSync(endpoint.serverCaFile),
    certPem: readFileSync(endpoint.clientCertFile),
    keyPem: readFileSync(endpoint.clientKeyFile),
    // The certificate names localhost too; an IP address is not a valid TLS server name (RFC 6066).
    serverName: 'localhost',
    timeoutMs: 3_000,
  });
}

function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the adapter's gRPC health service answers SERVING for the adapter service. */
export async function waitRpcAdapterServing(endpoint: RpcAdapterEndpoint, stillRunning: () => boolean, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const client = rpcAdapterClient(endpoint);
    try {
      if ((await client.health()) === 'SERVING') return;
    } catch (error) {
      last = error;
    } finally {
      client.close();
    }
    if (!stillRunning()) throw new NetworkError('NODE_START_FAILED', `${endpoint.id} exited during start-up; the end of ${logFile}:\n${logTail(logFile)}`);
    if (Date.now() > deadline) {
      throw new NetworkError('NODE_UNHEALTHY', `${endpoint.id} is not SERVING on ${endpoint.address} after ${timeoutMs / 1000} s: ${(last as Error | undefined)?.message ?? 'no answer'}`);
    }
    await sleep(500);
  }
}

/** One linked chain and its sync, as `status` shows it. */
export type LinkedChainStatus = LinkStatus;

/** The running org's links and their sync status, read over gRPC; undefined when the adapter does not answer. */
export async function readLinkedChains(endpoint: RpcAdapterEndpoint): Promise<LinkedChainStatus[] | undefined> {
  const client = rpcAdapterClient(endpoint);
  try {
    return await readLinkStatuses(client);
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}
