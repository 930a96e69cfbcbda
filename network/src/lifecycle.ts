import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageChaincode } from './chaincodePackage';
import { collectionsHash, renderCollectionsConfig } from './collectionsConfig';
import { NetworkError } from './errors';
import type { FabricInstall } from './fabricBinaries';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrg } from './networkConfig';
import type { Progress } from './progress';
import { appendHistory, keepPackage } from './upgrade/chaincodeHistory';
import {
  approveForOrg, commitDefinition, committedDefinition, definitionFlags, installOnOrg, memberOrgs, type LifecycleContext,
} from './upgrade/lifecycleSteps';

export { isAlreadyApproved, policyFlags } from './upgrade/lifecycleSteps';

/** The sequence of the chaincode definition committed on the channel as `org`'s first peer sees it; 0 when none. */
export async function committedSequence(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall, org: ResolvedOrg): Promise<number> {
  return (await committedDefinition({ net, layout, fabric }, org)).sequence;
}

/** What was last deployed, kept in the data directory so `up` knows whether to upgrade. */
export interface DeployedChaincode {
  name: string;
  packageId: string;
  sequence: number;
  endorsementPolicy: string;
  /** SHA-256 of the collections config file; absent in data directories from before collections. */
  collectionsHash?: string;
  /** The package label (absent in data directories from before `chaincode upgrade`: the default label). */
  label?: string;
  /** The source directory it was packaged from (absent: network.yaml's chaincode.path). */
  source?: string;
}

export interface ChaincodeDeployment extends DeployedChaincode {
  action: 'unchanged' | 'deployed' | 'upgraded';
}

function deployedFile(layout: NetworkLayout): string {
  return path.join(layout.root, 'chaincode.json');
}

/** The record of the last definition this data directory committed. */
export function readDeployed(layout: NetworkLayout): DeployedChaincode | undefined {
  const file = deployedFile(layout);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DeployedChaincode) : undefined;
}

export async function writeDeployed(layout: NetworkLayout, deployed: DeployedChaincode): Promise<void> {
  await writeFile(deployedFile(layout), JSON.stringify(deployed, null, 2));
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
 * Where `up` packages the chaincode from, and under which label: what was last deployed (so a
 * restart keeps a version chosen by `chaincode upgrade`/`rollback`), else network.yaml's path and
 * the default label. A source directory that is gone falls back to network.yaml's.
 */
function packageSource(net: ResolvedNetwork, deployed: DeployedChaincode | undefined): { dir: string; label?: string } {
  const dir = deployed?.source && existsSync(path.join(deployed.source, 'package.json')) ? deployed.source : net.chaincode.path;
  return { dir, ...(deployed?.label !== undefined && { label: deployed.label }) };
}

/**
 * Installs, approves and commits the chaincode through Fabric's lifecycle, idempotently: the same
 * package, policy and collections already committed → nothing to do; anything changed → the next
 * sequence (an upgrade, with the old chaincode serving until the new definition commits).
 */
export async function ensureChaincode(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall, progress: Progress): Promise<ChaincodeDeployment> {
  const ctx: LifecycleContext = { net, layout, fabric };
  const deployed = readDeployed(layout);
  const source = packageSource(net, deployed);
  const pkg = await packageChaincode(source.dir, net.chaincode.name, source.label === undefined ? {} : { label: source.label });
  const file = await keepPackage(layout, pkg);
  progress.info(`package ${pkg.packageId} (${(pkg.bytes.length / 1e6).toFixed(1)} MB, ${pkg.fileCount} files)`);
  // Each org installs and approves with its own admin key: only the orgs whose key is in this data
  // directory act here (all of them on the single-machine network); a member on another host
  // approves there with `kyc-network chaincode approve --org <org>`, and the commit then needs
  // approvals from a majority either way.
  const members = memberOrgs(net).filter((org) => existsSync(layout.orgAdmin(org).msp));
  for (const org of members) await installOnOrg(ctx, org, file, pkg.packageId, progress);

  const anyOrg = members[0];
  if (!anyOrg) throw new NetworkError('CONFIG_INVALID', `no member org's admin key is in ${layout.root}`);
  const committed = (await committedDefinition(ctx, anyOrg)).sequence;
  const wanted = {
    name: net.chaincode.name, packageId: pkg.packageId, endorsementPolicy: net.chaincode.endorsementPolicy,
    collectionsHash: collectionsHash(renderCollectionsConfig(net)), label: pkg.label, source: source.dir,
  };
  if (deployed && deploymentUnchanged(deployed, committed, wanted)) return { ...deployed, action: 'unchanged' };

  const sequence = committed + 1;
  const definition = await definitionFlags(ctx, sequence, pkg.packageId);
  for (const org of members) await approveForOrg(ctx, org, definition, pkg.packageId, progress);
  await commitDefinition(ctx, anyOrg, members, definition, sequence);
  const result: DeployedChaincode = { ...wanted, sequence };
  await writeDeployed(layout, result);
  const action = committed === 0 ? 'deployed' : 'upgraded';
  await appendHistory(layout, { sequence, packageId: pkg.packageId, label: pkg.label, packageFile: file, source: source.dir, action, committedAt: new Date().toISOString() });
  return { ...result, action };
}
