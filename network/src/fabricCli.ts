import { NetworkError } from './errors';
import { run, type RunResult } from './exec';
import { binaryPath, type FabricInstall } from './fabricBinaries';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrg, ResolvedPeer } from './networkConfig';
import { hostPort } from './hosts/hostAddress';

/**
 * Environment for Fabric's own `peer` CLI acting as an org's admin against one of its peers.
 * Built from scratch (not inherited) so stray CORE_* variables in the caller's shell cannot leak in.
 */
export function peerCliEnv(layout: NetworkLayout, org: ResolvedOrg, peer: ResolvedPeer, fabric: FabricInstall): NodeJS.ProcessEnv {
  return {
    PATH: `${fabric.binDir}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME,
    FABRIC_CFG_PATH: layout.nodeConfigDir(peer.id),
    FABRIC_LOGGING_SPEC: 'warning',
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: layout.orgAdmin(org).msp,
    CORE_PEER_ADDRESS: hostPort(peer.host, peer.port),
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: layout.peer(org, peer).tlsCa,
  };
}

/** Flags that point the peer CLI at an orderer over TLS. */
export function ordererFlags(net: ResolvedNetwork, layout: NetworkLayout, index = 0): string[] {
  const node = net.ordererOrg.nodes[index % net.ordererOrg.nodes.length];
  if (!node) throw new Error('network has no orderers');
  return ['-o', hostPort(node.host, node.port), '--tls', '--cafile', layout.ordererTlsCa];
}

/** Runs the peer CLI as the admin of `org` against `peer`. */
export function peerCli(fabric: FabricInstall, layout: NetworkLayout, org: ResolvedOrg, peer: ResolvedPeer, args: readonly string[]): Promise<RunResult> {
  return run(binaryPath(fabric, 'peer'), args, { env: peerCliEnv(layout, org, peer, fabric), timeoutMs: 120_000 });
}

/**
 * Runs osnadmin against one orderer's channel participation API with the orderer admin's TLS
 * identity. osnadmin exits 0 whatever the HTTP status, so a non-2xx status becomes an error here.
 */
export async function osnadmin(fabric: FabricInstall, layout: NetworkLayout, adminAddress: string, args: readonly string[]): Promise<RunResult> {
  const admin = layout.ordererAdmin;
  const result = await run(binaryPath(fabric, 'osnadmin'), [
    ...args,
    '-o', adminAddress,
    '--ca-file', layout.ordererTlsCa,
    '--client-cert', admin.tlsCert,
    '--client-key', admin.tlsKey,
  ], { timeoutMs: 30_000 });
  const status = Number(/Status: (\d{3})/.exec(result.stdout)?.[1] ?? 0);
  if (status < 200 || status > 299) {
    throw new NetworkError('COMMAND_FAILED', `osnadmin ${args.join(' ')} at ${adminAddress} answered ${status || 'no status'}: ${result.stdout.trim()}`, {
      details: { status, stdout: result.stdout },
    });
  }
  return result;
}

/** A channel as the orderer's channel participation API reports it. */
export interface OrdererChannelInfo {
  name: string;
  status?: string;
  consensusRelation?: string;
  height?: number;
}

/** osnadmin prints a status line before the JSON body. */
export function parseOsnadminJson<T>(stdout: string): T {
  const start = stdout.indexOf('{');
  return JSON.parse(stdout.slice(start)) as T;
}

/** The peer CLI's `channel getinfo` prints "Blockchain info: {json}". */
export function parseChannelInfo(stdout: string): { height: number } {
  const start = stdout.indexOf('{');
  const info = JSON.parse(stdout.slice(start)) as { height?: number };
  return { height: info.height ?? 0 };
}
