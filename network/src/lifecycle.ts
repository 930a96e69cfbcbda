import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { packageChaincode, writePackage } from './chaincodePackage';
import { collectionsConfig, collectionsHash, renderCollectionsConfig } from './collectionsConfig';
import { NetworkError } from './errors';
import type { FabricInstall } from './fabricBinaries';
import { ordererFlags, peerCli } from './fabricCli';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrg } from './networkConfig';
import type { Progress } from './progress';
import { retryTransient } from './transientRetry';
import path from 'node:path';
import { hostPort } from './hosts/hostAddress';

/** What was last deployed, kept in the data directory so `up` knows whether to upgrade. */
export interface DeployedChaincode {
  name: string;
  packageId: string;
  sequence: number;
  endorsementPolicy: string;
  /** SHA-256 of the collections config file; absent in data directories from before collections. */
  collectionsHash?: string;
}

export interface ChaincodeDeployment extends DeployedChaincode {
  action: 'unchanged' | 'deployed' | 'upgraded';
}

function memberOrgs(net: ResolvedNetwork): ResolvedOrg[] {
  return net.orgs.filter((o) => net.channel.members.includes(o.name));
}

function firstPeer(org: ResolvedOrg) {
  const peer = org.peers[0];
  if (!peer) throw new Error(`org ${org.name} has no peers`);
  return peer;
}

/** Flags that state the endorsement policy of a definition. */
export function policyFlags(net: ResolvedNetwork): string[] {
  const policy = net.chaincode.endorsementPolicy;
  if (policy === 'MAJORITY') return ['--channel-config-policy', '/Channel/Application/Endorsement'];
  if (policy === 'ALL') {
    const members = memberOrgs(net).map((o) => `'${o.mspId}.peer'`);
    return ['--signature-policy', `AND(${members.join(',')})`];
  }
  return ['--signature-policy', policy];
}

/** Retries while the ordering service has no leader yet (right after channel creation or a restart). */
function withOrdererRetry<T>(fn: () => Promise<T>): Promise<T> {
  return retryTransient(fn, { timeoutMs: 60_000 });
}

/**
 * Fabric refuses to approve the same uncommitted definition twice. That answer means this org's
 * approval is already on the ledger (from an earlier `up` that stopped before the commit, or a
 * retried approval whose first answer was lost), which is what the approval was for.
 */
export function isAlreadyApproved(error: unknown): boolean {
  return /attempted to redefine uncommitted sequence \(\d+\) for namespace \S+ with unchanged content/.test(String((error as Error)?.message ?? error));
}

/** The sequence of the chaincode definition committed on the channel as `org`'s first peer sees it; 0 when none. */
export async function committedSequence(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall, org: ResolvedOrg): Promise<number> {
  try {
    const { stdout } = await retryTransient(() => peerCli(fabric, layout, org, firstPeer(org), [
      'lifecycle', 'chaincode', 'querycommitted', '--channelID', net.channel.name, '--name', net.chaincode.name, '--output', 'json',
    ]));
    return (JSON.parse(stdout) as { sequence?: number }).sequence ?? 0;
  } catch (error) {
    if (/not found|does not exist|is not defined/i.test(String((error as Error).message))) return 0;
    throw error;
  }
}

function readDeployed(layout: NetworkLayout): DeployedChaincode | undefined {
  const file = path.join(layout.root, 'chaincode.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DeployedChaincode) : undefined;
}

/**
 * Whether the definition `up` wants is the one already committed. A record without a collections
 * hash predates private data collections, so it never matches and the definition is upgraded.
 */
export function deploymentUnchanged(deployed: DeployedChaincode | undefined, committedSequence: number, wanted: Omit<DeployedChaincode, 'sequence'>): boolean {
  return (
    committedSequence > 0 &&
    deployed?.sequence === committedSequence &&
    deployed.name === wanted.name &&
    deployed.packageId === wanted.packageId &&
    deployed.endorsementPolicy === wanted.endorsementPolicy &&
    deployed.collectionsHash !== undefined &&
    deployed.collectionsHash === wanted.collectionsHash
  );
}

/**
 * Installs, approves and commits the chaincode through Fabric's lifecycle, idempotently: the same
 * package, policy and collections already committed → nothing to do; anything changed → the next
 * sequence (an upgrade, with the old chaincode serving until the new definition commits).
 */
export async function ensureChaincode(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall, progress: Progress): Promise<ChaincodeDeployment> {
  const pkg = await packageChaincode(net.chaincode.path, net.chaincode.name);
  const file = await writePackage(pkg, path.join(layout.artifactsDir, 'chaincode'));
  progress.info(`package ${pkg.packageId} (${(pkg.bytes.length / 1e6).toFixed(1)} MB, ${pkg.fileCount} files)`);
  const members = memberOrgs(net);

  for (const org of members) {
    for (const peer of org.peers) {
      const { stdout } = await retryTransient(() => peerCli(fabric, layout, org, peer, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json']));
      const installed = (JSON.parse(stdout || '{}') as { installed_chaincodes?: { package_id: string }[] }).installed_chaincodes ?? [];
      if (!installed.some((c) => c.package_id === pkg.packageId)) {
        await peerCli(fabric, layout, org, peer, ['lifecycle', 'chaincode', 'install', file]);
        progress.info(`installed on ${peer.id}`);
      }
    }
  }

  const anyOrg = members[0];
  if (!anyOrg) throw new NetworkError('CONFIG_INVALID', 'channel has no member orgs');
  const committed = await committedSequence(net, layout, fabric, anyOrg);
  const deployed = readDeployed(layout);
  const collections = renderCollectionsConfig(net);
  const wanted = { name: net.chaincode.name, packageId: pkg.packageId, endorsementPolicy: net.chaincode.endorsementPolicy, collectionsHash: collectionsHash(collections) };
  if (deployed && deploymentUnchanged(deployed, committed, wanted)) return { ...deployed, action: 'unchanged' };

  await mkdir(path.dirname(layout.collectionsConfig), { recursive: true });
  await writeFile(layout.collectionsConfig, collections);
  // approveformyorg and commit must state the same definition, so both get the same flags; an
  // empty list is left out rather than passed as an empty collection package.
  const collectionFlags = collectionsConfig(net).length > 0 ? ['--collections-config', layout.collectionsConfig] : [];
  const sequence = committed + 1;
  const version = pkg.packageId.slice(pkg.packageId.lastIndexOf(':') + 1, pkg.packageId.lastIndexOf(':') + 13);
  const definition = ['--channelID', net.channel.name, '--name', net.chaincode.name, '--version', version, '--sequence', String(sequence), ...policyFlags(net), ...collectionFlags];
  for (const [i, org] of members.entries()) {
    try {
      await withOrdererRetry(() => peerCli(fabric, layout, org, firstPeer(org), [
        'lifecycle', 'chaincode', 'approveformyorg', ...definition, '--package-id', pkg.packageId, ...ordererFlags(net, layout, i),
      ]));
      progress.info(`approved by ${org.mspId}`);
    } catch (error) {
      if (!isAlreadyApproved(error)) throw error;
      progress.info(`already approved by ${org.mspId}`);
    }
  }
  const peerFlags = members.flatMap((org) => {
    const peer = firstPeer(org);
    return ['--peerAddresses', hostPort(peer.host, peer.port), '--tlsRootCertFiles', layout.peer(org, peer).tlsCa];
  });
  try {
    await withOrdererRetry(() => peerCli(fabric, layout, anyOrg, firstPeer(anyOrg), [
      'lifecycle', 'chaincode', 'commit', ...definition, ...peerFlags, ...ordererFlags(net, layout),
    ]));
  } catch (error) {
    // A retried commit whose first attempt did commit is refused for its sequence: check the ledger.
    if ((await committedSequence(net, layout, fabric, anyOrg)) !== sequence) throw error;
  }
  const result: DeployedChaincode = { ...wanted, sequence };
  await writeFile(path.join(layout.root, 'chaincode.json'), JSON.stringify(result, null, 2));
  return { ...result, action: committed === 0 ? 'deployed' : 'upgraded' };
}
