import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { peer as peerProto } from '@hyperledger/fabric-protos';
import { packageChaincode } from '../chaincodePackage';
import { NetworkError } from '../errors';
import { run } from '../exec';
import { binaryPath, type FabricInstall } from '../fabricBinaries';
import { peerCliEnv } from '../fabricCli';
import { connectGateway } from '../gatewayConnection';
import { isAlreadyApproved } from '../lifecycle';
import type { Progress } from '../progress';
import { retryTransient } from '../transientRetry';
import type { ActingOrg } from './actingOrg';
import { fetchChannelConfig, type ConfigJson } from './channelConfigFetch';
import { computeUpdate } from './configtxlator';
import type { OrgNode } from './orgPeer';
import { broadcastConfigUpdate } from './submitUpdate';

const lifecycle = peerProto.lifecycle;

export interface JoinOptions {
  /** An orderer of the channel, host:port. */
  orderer: string;
  /** The orderer org's TLS CA certificate (a certificate the consortium hands over). */
  ordererCa: string;
  /** The chaincode to install and approve, built from its source (package IDs are deterministic). */
  chaincode: { name: string; path: string; label?: string };
}

export interface JoinResult {
  channel: string;
  joined: 'joined' | 'already';
  anchorPeer: 'set' | 'unchanged';
  chaincode: { name: string; packageId: string; sequence: number; approval: 'approved' | 'already' };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The org of `node` acting with its own admin key against its own peer. */
export function orgNodeActingOrg(node: OrgNode, fabric: FabricInstall, options: Pick<JoinOptions, 'orderer' | 'ordererCa'>): ActingOrg {
  return {
    name: node.org.name,
    mspId: node.org.mspId,
    adminMsp: node.layout.orgAdmin(node.org).msp,
    peerEnv: peerCliEnv(node.layout, node.org, node.peer, fabric),
    ordererFlags: ['-o', options.orderer, '--tls', '--cafile', path.resolve(options.ordererCa)],
    channel: node.net.channel.name,
  };
}

function peerCmd(fabric: FabricInstall, actor: ActingOrg, args: readonly string[]) {
  return run(binaryPath(fabric, 'peer'), args, { env: actor.peerEnv, timeoutMs: 120_000 });
}

async function setAnchorPeer(fabric: FabricInstall, actor: ActingOrg, node: OrgNode): Promise<JoinResult['anchorPeer']> {
  const current = await fetchChannelConfig(fabric, actor);
  const group = current.config.channel_group.groups?.Application?.groups?.[actor.mspId];
  if (!group) throw new NetworkError('ORG_NOT_MEMBER', `${actor.mspId} is not (yet) a member of channel ${actor.channel}`);
  const wanted = [{ host: node.definition.anchorPeer.host, port: node.definition.anchorPeer.port }];
  const existing = (group.values?.AnchorPeers?.value as { anchor_peers?: unknown } | undefined)?.anchor_peers;
  if (JSON.stringify(existing) === JSON.stringify(wanted)) return 'unchanged';
  const updated = JSON.parse(JSON.stringify(current.config)) as ConfigJson;
  const target = updated.channel_group.groups?.Application?.groups?.[actor.mspId];
  if (!target) throw new Error('unreachable');
  target.values = { ...target.values, AnchorPeers: { mod_policy: 'Admins', value: { anchor_peers: wanted }, version: group.values?.AnchorPeers?.version ?? '0' } };
  // The org's own Admins policy governs its AnchorPeers: the submitter's own signature is all it takes.
  await broadcastConfigUpdate(fabric, actor, await computeUpdate(fabric, actor.channel, current.config, updated), []);
  return 'set';
}

/**
 * Joins a new org's peer to the channel with only its own key: block 0 from an orderer, the
 * peer joins, the org sets its anchor peer, then installs the chaincode package (built from source:
 * the same package ID as every member's) and approves the committed definition — same sequence,
 * same policy and collections, copied byte for byte — so its peer can endorse.
 */
export async function joinOrg(node: OrgNode, fabric: FabricInstall, options: JoinOptions, progress: Progress): Promise<JoinResult> {
  const actor = orgNodeActingOrg(node, fabric, options);
  const artifacts = node.layout.artifactsDir;
  await mkdir(artifacts, { recursive: true });
  // Where `up --org` looks for the channel's first block, so a later `org start` finds it joined.
  const block0 = node.layout.genesisBlock;
  if (!existsSync(block0)) await retryTransient(() => peerCmd(fabric, actor, ['channel', 'fetch', '0', block0, '-c', actor.channel, ...actor.ordererFlags]));
  const isJoined = async () => (await peerCmd(fabric, actor, ['channel', 'list'])).stdout.split('\n').map((l) => l.trim()).includes(actor.channel);
  const already = await retryTransient(isJoined);
  // A join is retried only after checking it did not happen (a lost answer must not be repeated).
  if (!already) {
    await retryTransient(async () => {
      if (!(await isJoined())) await peerCmd(fabric, actor, ['channel', 'join', '-b', block0]);
    });
    progress.info(`${node.peer.id} joined ${actor.channel}`);
  }
  const anchorPeer = await setAnchorPeer(fabric, actor, node);
  progress.info(`anchor peer ${anchorPeer}`);

  // The committed package may carry another label than the default (after `chaincode upgrade
  // --label`): the label is part of the package bytes, so the joining org builds with the same one.
  const pkg = await packageChaincode(options.chaincode.path, options.chaincode.name, options.chaincode.label === undefined ? {} : { label: options.chaincode.label });
  const file = path.join(artifacts, 'chaincode', `${pkg.label}.tar.gz`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, pkg.bytes);
  const { stdout } = await retryTransient(() => peerCmd(fabric, actor, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json']));
  const installed = (JSON.parse(stdout || '{}') as { installed_chaincodes?: { package_id: string }[] }).installed_chaincodes ?? [];
  if (!installed.some((c) => c.package_id === pkg.packageId)) {
    await peerCmd(fabric, actor, ['lifecycle', 'chaincode', 'install', file]);
    progress.info(`installed ${pkg.packageId}`);
  }

  const connection = connectGateway(node.net, node.layout, node.org, 'admin');
  try {
    const contract = connection.gateway.getNetwork(actor.channel).getContract('_lifecycle');
    const query = new lifecycle.QueryChaincodeDefinitionArgs();
    query.setName(options.chaincode.name);
    // The peer knows the definition once it has caught up with the block that committed it.
    let definition: InstanceType<typeof lifecycle.QueryChaincodeDefinitionResult> | undefined;
    for (const deadline = Date.now() + 120_000; !definition;) {
      try {
        definition = lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(await contract.evaluateTransaction('QueryChaincodeDefinition', query.serializeBinary()));
      } catch (error) {
        if (Date.now() > deadline) throw new NetworkError('NODE_UNHEALTHY', `${node.peer.id} does not know chaincode ${options.chaincode.name}'s definition: ${(error as Error).message}`, { cause: error });
        await sleep(1000);
      }
    }
    // lifecycle.ts names each version after the package's hash: another package would not match the members'.
    const hashPrefix = pkg.packageId.slice(pkg.packageId.lastIndexOf(':') + 1, pkg.packageId.lastIndexOf(':') + 13);
    if (definition.getVersion() !== hashPrefix) {
      throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `the package built here (${pkg.packageId}) is not the committed version ${definition.getVersion()}; build from the same chaincode source as the members`);
    }
    const sequence = definition.getSequence();
    if (definition.getApprovalsMap().get(actor.mspId)) {
      return { channel: actor.channel, joined: already ? 'already' : 'joined', anchorPeer, chaincode: { name: options.chaincode.name, packageId: pkg.packageId, sequence, approval: 'already' } };
    }
    const approve = new lifecycle.ApproveChaincodeDefinitionForMyOrgArgs();
    approve.setSequence(sequence);
    approve.setName(options.chaincode.name);
    approve.setVersion(definition.getVersion());
    approve.setEndorsementPlugin(definition.getEndorsementPlugin());
    approve.setValidationPlugin(definition.getValidationPlugin());
    approve.setValidationParameter(definition.getValidationParameter_asU8());
    const collections = definition.getCollections();
    if (collections) approve.setCollections(collections);
    approve.setInitRequired(definition.getInitRequired());
    const local = new lifecycle.ChaincodeSource.Local();
    local.setPackageId(pkg.packageId);
    const source = new lifecycle.ChaincodeSource();
    source.setLocalPackage(local);
    approve.setSource(source);
    // Approval is this org's own act: endorsed by its own peer only.
    let approval: JoinResult['chaincode']['approval'] = 'approved';
    try {
      await retryTransient(() => contract.submit('ApproveChaincodeDefinitionForMyOrg', { arguments: [approve.serializeBinary()], endorsingOrganizations: [actor.mspId] }));
    } catch (error) {
      // A retried approval whose first answer was lost: the approval is on the ledger already.
      if (!isAlreadyApproved(error)) throw error;
      approval = 'already';
    }
    progress.info(`approved ${options.chaincode.name} sequence ${sequence}`);
    return { channel: actor.channel, joined: already ? 'already' : 'joined', anchorPeer, chaincode: { name: options.chaincode.name, packageId: pkg.packageId, sequence, approval } };
  } finally {
    connection.close();
  }
}
