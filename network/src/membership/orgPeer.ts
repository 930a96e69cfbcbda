import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { binaryPath, type FabricInstall } from '../fabricBinaries';
import { waitHealthy } from '../health';
import { networkLayout, type NetworkLayout } from '../layout';
import type { ResolvedNetwork, ResolvedOrg, ResolvedPeer } from '../networkConfig';
import { renderPeerConfig } from '../nodeConfig';
import { waitForPorts } from '../portReadiness';
import { isAlive, readProcessRecord, startProcess, stopProcess } from '../processes';
import { readOrgDefinition, type OrgDefinition } from './orgDefinition';
import { PEER_NAME } from './orgInit';

/** An org made by `org init`, seen as a one-org network rooted at its own directory (same layout as cryptogen's). */
export interface OrgNode {
  definition: OrgDefinition;
  net: ResolvedNetwork;
  layout: NetworkLayout;
  org: ResolvedOrg;
  peer: ResolvedPeer;
}

/** What an org's own directory does not say about the consortium it joins: from its network.yaml. */
export type ConsortiumRef = Pick<ResolvedNetwork, 'name' | 'channel' | 'chaincode'> & Partial<Pick<ResolvedNetwork, 'logLevel'>>;

/**
 * The org's own peer: listening on the anchor address of its definition, its chaincode and
 * operations ports the two after it, and its gateway ten ports after it. The org runs no
 * orderer, so that part is empty. The network keeps the consortium's name, channel and
 * chaincode: the gateway's signed statements name `<consortium>/<channel>`.
 */
export function orgNode(orgDir: string, consortium: ConsortiumRef): OrgNode {
  const channel = consortium.channel.name;
  const logLevel = consortium.logLevel ?? 'info';
  const root = path.resolve(orgDir);
  const definition = readOrgDefinition(path.join(root, 'definition.json'));
  const { host, port } = definition.anchorPeer;
  const peer: ResolvedPeer = {
    id: `${PEER_NAME}.${definition.name}`,
    name: PEER_NAME,
    orgName: definition.name,
    mspId: definition.mspId,
    hostname: `${PEER_NAME}.${definition.domain}`,
    host,
    port,
    chaincodePort: port + 1,
    operationsPort: port + 2,
  };
  const org: ResolvedOrg = { name: definition.name, mspId: definition.mspId, role: definition.role, displayName: definition.name, domain: definition.domain, host, peers: [peer] };
  const net: ResolvedNetwork = {
    name: consortium.name,
    source: path.join(root, 'definition.json'),
    dataDir: root,
    portBase: port,
    logLevel,
    ordererOrg: { name: 'none', mspId: 'none', domain: 'none', host, consensus: 'raft', batchTimeout: '500ms', maxMessageCount: 1, nodes: [] },
    orgs: [org],
    channel: { name: channel, members: [definition.name] },
    chaincode: consortium.chaincode,
    privateChains: [],
  };
  return { definition, net, layout: networkLayout(net), org, peer };
}

export function orgPeerRunning(node: OrgNode): boolean {
  return isAlive(readProcessRecord(node.layout.nodePidFile(node.peer.id)));
}

/** Writes the peer's core.yaml and starts it (if not running), then waits until it serves. */
export async function startOrgPeer(node: OrgNode, fabric: FabricInstall): Promise<void> {
  const { layout, peer, org, net } = node;
  const configDir = layout.nodeConfigDir(peer.id);
  await mkdir(configDir, { recursive: true });
  await mkdir(layout.nodeDataDir(peer.id), { recursive: true });
  await writeFile(path.join(configDir, 'core.yaml'), renderPeerConfig(net, layout, fabric, org, peer));
  const running = () => orgPeerRunning(node);
  if (!running()) {
    await startProcess({
      binary: binaryPath(fabric, 'peer'),
      args: ['node', 'start'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FABRIC_CFG_PATH: configDir, FABRIC_LOGGING_SPEC: net.logLevel, KYC_NODE_BIN: process.execPath },
      cwd: layout.nodeDir(peer.id),
      logFile: layout.nodeLog(peer.id),
      pidFile: layout.nodePidFile(peer.id),
    });
  }
  await waitHealthy(peer.id, peer.host, peer.operationsPort, running);
  await waitForPorts([{ node: peer.id, purpose: 'gRPC', host: peer.host, port: peer.port, tls: { ca: readFileSync(layout.peer(org, peer).tlsCa) } }], { stillRunning: running });
}

export async function stopOrgPeer(node: OrgNode): Promise<'stopped' | 'not-running'> {
  return stopProcess(node.layout.nodePidFile(node.peer.id));
}
