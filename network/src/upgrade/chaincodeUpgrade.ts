import { existsSync } from 'node:fs';
import { packageChaincode, type ChaincodePackage } from '../chaincodePackage';
import { collectionsHash, renderCollectionsConfig } from '../collectionsConfig';
import { NetworkError } from '../errors';
import { readDeployed, writeDeployed, type DeployedChaincode } from '../lifecycle';
import type { ResolvedOrg } from '../networkConfig';
import type { Progress } from '../progress';
import { waitUntilEndorsable } from '../readiness';
import { appendHistory, keepPackage, previousPackage, readHistory, readKeptPackage, type HistoryEntry } from './chaincodeHistory';
import {
  approvedPackageId, approveForOrg, commitDefinition, commitReadiness, committedDefinition, definitionFlags, installOnOrg, lifecyclePolicyMet, memberOrg,
  memberOrgs, onChannel, type LifecycleContext,
} from './lifecycleSteps';

/** Which package to move to: new source (optionally another label or directory), or a kept one. */
export interface PackageChoice {
  label?: string;
  path?: string;
}

/** What `chaincode upgrade` and `chaincode rollback` did. */
export interface UpgradeResult {
  action: 'upgraded' | 'rolled back';
  from: { sequence: number; packageId?: string };
  to: { sequence: number; packageId: string; label: string };
  /** Approvals of the new definition when it was committed, by MSP ID. */
  approvals: Record<string, boolean>;
  /** Seconds from the start until every member's gateway peer endorses with the new definition. */
  seconds: number;
}

/** What `chaincode approve --org` did for one org. */
export interface ApprovalResult {
  org: string;
  mspId: string;
  sequence: number;
  packageId: string;
  outcome: 'approved' | 'already approved';
  /** Who has approved this definition so far, and whether that is enough to commit it. */
  approvals: Record<string, boolean>;
  readyToCommit: boolean;
}

/** What `chaincode status` shows. */
export interface ChaincodeStatus {
  name: string;
  channel: string;
  committed: { sequence: number; version?: string; approvals: Record<string, boolean> };
  /** The package each member org on this host approved for the committed sequence (undefined: none named). */
  packages: Record<string, string | undefined>;
  deployed?: DeployedChaincode;
  history: HistoryEntry[];
}

/** The package the choice names, built from source (the recorded source, else network.yaml's path). */
async function choosePackage(ctx: LifecycleContext, choice: PackageChoice): Promise<{ pkg: ChaincodePackage; source: string }> {
  const source = choice.path ?? ctx.net.chaincode.path;
  if (!existsSync(source)) throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `no chaincode directory ${source}`, { details: { path: source } });
  const pkg = await packageChaincode(source, ctx.net.chaincode.name, choice.label === undefined ? {} : { label: choice.label });
  return { pkg, source };
}

/** The member orgs whose admin MSP is in this data directory (on the single-machine network: all). */
function localOrgs(ctx: LifecycleContext): ResolvedOrg[] {
  const local = memberOrgs(ctx.net).filter((o) => existsSync(ctx.layout.orgAdmin(o).msp));
  if (local.length === 0) throw new NetworkError('CONFIG_INVALID', `no member org's admin key is in ${ctx.layout.root}`);
  return local;
}

/**
 * Of `candidates` (by default this host's orgs), the ones on the channel now by the keys of a
 * checkcommitreadiness approvals map; a coded error when there are none.
 */
function channelOrgsHere(ctx: LifecycleContext, approvals: Record<string, boolean>, candidates: readonly ResolvedOrg[] = localOrgs(ctx)): ResolvedOrg[] {
  const here = onChannel(candidates, approvals);
  if (here.length === 0) {
    throw new NetworkError('ORG_NOT_MEMBER', `${candidates.map((o) => o.mspId).join(', ')} ${candidates.length === 1 ? 'is' : 'are'} not on channel ${ctx.net.channel.name} (members: ${Object.keys(approvals).join(', ')})`, {
      details: { orgs: candidates.map((o) => o.mspId), members: Object.keys(approvals) },
    });
  }
  return here;
}

async function currentSequence(ctx: LifecycleContext): Promise<number> {
  const committed = await committedDefinition(ctx, localOrgs(ctx)[0] as ResolvedOrg);
  if (committed.sequence === 0) {
    throw new NetworkError('CHAINCODE_NOT_DEPLOYED', `chaincode ${ctx.net.chaincode.name} is not committed on channel ${ctx.net.channel.name}; run \`kyc-network up\` first`);
  }
  return committed.sequence;
}

/**
 * Moves the channel to `pkg` at the next sequence: installs it on the peers of every member org
 * whose admin key is on this host, approves it for each of them with that org's own admin identity
 * (one after the other, as each member would), checks commit readiness against the lifecycle
 * policy (orgs on other hosts approve there), commits, and waits until each member's gateway peer
 * endorses again. The old chaincode keeps serving until the commit;
 * transactions endorsed before it and validated after it fail with an MVCC conflict, which
 * clients retry.
 */
async function switchTo(ctx: LifecycleContext, pkg: ChaincodePackage, source: string | undefined, action: UpgradeResult['action'], progress: Progress): Promise<UpgradeResult> {
  const started = Date.now();
  const sequence = await currentSequence(ctx);
  const deployed = readDeployed(ctx.layout);
  const file = await keepPackage(ctx.layout, pkg);
  progress.info(`package ${pkg.packageId}`);
  // Only orgs whose admin key is on this host: the others approve on their own hosts
  // (`chaincode approve --org`), and commit readiness shows whether they did. Of those, only the
  // ones on the channel now (its config, not network.yaml, says who is a member).
  const next = sequence + 1;
  const definition = await definitionFlags(ctx, next, pkg.packageId);
  const local = channelOrgsHere(ctx, await commitReadiness(ctx, localOrgs(ctx)[0] as ResolvedOrg, definition));
  for (const org of local) await installOnOrg(ctx, org, file, pkg.packageId, progress);
  for (const org of local) await approveForOrg(ctx, org, definition, pkg.packageId, progress);
  const submitter = local[0] as ResolvedOrg;
  const approvals = await commitReadiness(ctx, submitter, definition);
  progress.info(`approvals: ${Object.entries(approvals).map(([msp, ok]) => `${msp} ${ok ? 'yes' : 'no'}`).join(', ')}`);
  if (!lifecyclePolicyMet(approvals)) {
    throw new NetworkError('COMMIT_NOT_READY', `sequence ${next} lacks approvals from a majority of the channel's member orgs`, { details: { sequence: next, approvals } });
  }
  // The commit is endorsed by the approving orgs' peers this host can reach over TLS.
  const endorsers = ctx.net.orgs.filter((o) => approvals[o.mspId] === true && o.peers[0] !== undefined && existsSync(ctx.layout.peer(o, o.peers[0]).tlsCa));
  await commitDefinition(ctx, submitter, endorsers, definition, next);
  progress.info(`committed sequence ${next}`);
  const record: DeployedChaincode = {
    name: ctx.net.chaincode.name, packageId: pkg.packageId, sequence: next, endorsementPolicy: ctx.net.chaincode.endorsementPolicy,
    collectionsHash: collectionsHash(renderCollectionsConfig(ctx.net)), label: pkg.label, ...(source !== undefined && { source }),
  };
  if (source === undefined && deployed?.source !== undefined) record.source = deployed.source;
  await writeDeployed(ctx.layout, record);
  await appendHistory(ctx.layout, {
    sequence: next, packageId: pkg.packageId, label: pkg.label, packageFile: file, ...(source !== undefined && { source }), action, committedAt: new Date().toISOString(),
  });
  // The first endorsement after the commit launches the new chaincode on each peer, so clients
  // do not all wait for that; a peer that has not yet committed the block still uses the old one.
  // Only this host's orgs: their client identities are the ones here.
  await waitUntilEndorsable({ ...ctx.net, channel: { ...ctx.net.channel, members: local.map((o) => o.name) } }, ctx.layout);
  return {
    action,
    from: { sequence, ...(deployed?.packageId !== undefined && { packageId: deployed.packageId }) },
    to: { sequence: next, packageId: pkg.packageId, label: pkg.label },
    approvals,
    seconds: (Date.now() - started) / 1000,
  };
}

/** `kyc-network chaincode upgrade`: package the (new) chaincode and commit it at sequence+1. */
export async function upgradeChaincode(ctx: LifecycleContext, choice: PackageChoice, progress: Progress): Promise<UpgradeResult> {
  const { pkg, source } = await choosePackage(ctx, choice);
  const deployed = readDeployed(ctx.layout);
  if (deployed?.packageId === pkg.packageId) {
    throw new NetworkError('CHAINCODE_UNCHANGED', `package ${pkg.packageId} is the one deployed; rebuild the chaincode or give another --label`, { details: { packageId: pkg.packageId } });
  }
  return switchTo(ctx, pkg, source, 'upgraded', progress);
}

/** `kyc-network chaincode rollback`: commit the previously deployed package again at sequence+1. */
export async function rollbackChaincode(ctx: LifecycleContext, progress: Progress): Promise<UpgradeResult> {
  const deployed = readDeployed(ctx.layout);
  if (!deployed) throw new NetworkError('CHAINCODE_NOT_DEPLOYED', `no chaincode deployed from ${ctx.layout.root}`);
  const previous = previousPackage(readHistory(ctx.layout), deployed.packageId);
  if (!previous) throw new NetworkError('NO_PREVIOUS_PACKAGE', `no package was deployed before ${deployed.packageId} in ${ctx.layout.root}`, { details: { packageId: deployed.packageId } });
  progress.info(`rolling back to ${previous.packageId} (sequence ${previous.sequence}, ${previous.committedAt})`);
  return switchTo(ctx, await readKeptPackage(previous), previous.source, 'rolled back', progress);
}

/**
 * `kyc-network chaincode approve --org <org>`: one member's part, run on its own host with only its
 * own admin key: install the package on its peers and approve it for its org at sequence+1. The
 * package is built from source the same way on every host, so every member names the same ID.
 */
export async function approveChaincode(ctx: LifecycleContext, orgName: string, choice: PackageChoice, progress: Progress): Promise<ApprovalResult> {
  const org = memberOrg(ctx.net, orgName);
  const { pkg } = await choosePackage(ctx, choice);
  const file = await keepPackage(ctx.layout, pkg);
  const sequence = (await currentSequence(ctx)) + 1;
  const definition = await definitionFlags(ctx, sequence, pkg.packageId);
  channelOrgsHere(ctx, await commitReadiness(ctx, org, definition), [org]);
  await installOnOrg(ctx, org, file, pkg.packageId, progress);
  const outcome = await approveForOrg(ctx, org, definition, pkg.packageId, progress);
  const approvals = await commitReadiness(ctx, org, definition);
  return { org: org.name, mspId: org.mspId, sequence, packageId: pkg.packageId, outcome, approvals, readyToCommit: lifecyclePolicyMet(approvals) };
}

/** `kyc-network chaincode status`: the committed definition, who approved it, and the package history. */
export async function chaincodeStatus(ctx: LifecycleContext): Promise<ChaincodeStatus> {
  const local = localOrgs(ctx);
  const committed = await committedDefinition(ctx, local[0] as ResolvedOrg);
  const packages: Record<string, string | undefined> = {};
  // Fabric tells an org only its own approved package, so only this host's orgs are listed.
  for (const org of local) {
    packages[org.mspId] = committed.sequence > 0 ? await approvedPackageId(ctx, org, committed.sequence) : undefined;
  }
  const deployed = readDeployed(ctx.layout);
  return {
    name: ctx.net.chaincode.name,
    channel: ctx.net.channel.name,
    committed,
    packages,
    ...(deployed && { deployed }),
    history: readHistory(ctx.layout),
  };
}
