import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { collectionsConfig, renderCollectionsConfig } from '../collectionsConfig';
import { NetworkError } from '../errors';
import { hostPort } from '../hosts/hostAddress';
import type { FabricInstall } from '../fabricBinaries';
import { ordererFlags, peerCli } from '../fabricCli';
import type { NetworkLayout } from '../layout';
import type { ResolvedNetwork, ResolvedOrg, ResolvedPeer } from '../networkConfig';
import type { Progress } from '../progress';
import { retryTransient } from '../transientRetry';

/** What every lifecycle step needs: the network, where its files are, and the Fabric CLIs. */
export interface LifecycleContext {
  net: ResolvedNetwork;
  layout: NetworkLayout;
  fabric: FabricInstall;
}

/** The orgs on the channel (those that install, approve and endorse). */
export function memberOrgs(net: ResolvedNetwork): ResolvedOrg[] {
  return net.orgs.filter((o) => net.channel.members.includes(o.name));
}

/** The member org called `name`, or a coded error naming the ones there are. */
export function memberOrg(net: ResolvedNetwork, name: string): ResolvedOrg {
  const org = memberOrgs(net).find((o) => o.name === name || o.mspId === name);
  if (!org) throw new NetworkError('UNKNOWN_NODE', `no member org "${name}" on channel ${net.channel.name} (orgs: ${memberOrgs(net).map((o) => o.name).join(', ')})`);
  return org;
}

export function firstPeer(org: ResolvedOrg): ResolvedPeer {
  const peer = org.peers[0];
  if (!peer) throw new NetworkError('CONFIG_INVALID', `org ${org.name} has no peers`);
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
export function withOrdererRetry<T>(fn: () => Promise<T>): Promise<T> {
  return retryTransient(fn, { timeoutMs: 60_000 });
}

/**
 * Fabric refuses to approve the same uncommitted definition twice. That answer means this org's
 * approval is already on the ledger (from an earlier run that stopped before the commit, a member
 * that approved on its own host, or a retried approval whose first answer was lost), which is what
 * the approval was for.
 */
export function isAlreadyApproved(error: unknown): boolean {
  return /attempted to redefine uncommitted sequence \(\d+\) for namespace \S+ with unchanged content/.test(String((error as Error)?.message ?? error));
}

/** The definition's `--version`: the start of the package hash, so each package has its own. */
export function definitionVersion(packageId: string): string {
  const hash = packageId.slice(packageId.lastIndexOf(':') + 1);
  return hash.slice(0, 12);
}

/** The chaincode definition as the channel has it committed (sequence 0: none yet). */
export interface CommittedDefinition {
  sequence: number;
  version?: string;
  /** Which member orgs approved the committed definition. */
  approvals: Record<string, boolean>;
}

/** The committed definition, as `org`'s first peer knows it. */
export async function committedDefinition(ctx: LifecycleContext, org: ResolvedOrg): Promise<CommittedDefinition> {
  try {
    const { stdout } = await retryTransient(() => peerCli(ctx.fabric, ctx.layout, org, firstPeer(org), [
      'lifecycle', 'chaincode', 'querycommitted', '--channelID', ctx.net.channel.name, '--name', ctx.net.chaincode.name, '--output', 'json',
    ]));
    const parsed = JSON.parse(stdout) as { sequence?: number; version?: string; approvals?: Record<string, boolean> };
    return { sequence: parsed.sequence ?? 0, ...(parsed.version !== undefined && { version: parsed.version }), approvals: parsed.approvals ?? {} };
  } catch (error) {
    if (/not found|does not exist|is not defined/i.test(String((error as Error).message))) return { sequence: 0, approvals: {} };
    throw error;
  }
}

/** The package `org` approved for `sequence` (undefined when it approved none, or none that names a package). */
export async function approvedPackageId(ctx: LifecycleContext, org: ResolvedOrg, sequence: number): Promise<string | undefined> {
  try {
    const { stdout } = await retryTransient(() => peerCli(ctx.fabric, ctx.layout, org, firstPeer(org), [
      'lifecycle', 'chaincode', 'queryapproved', '--channelID', ctx.net.channel.name, '--name', ctx.net.chaincode.name, '--sequence', String(sequence), '--output', 'json',
    ]));
    const parsed = JSON.parse(stdout) as { source?: { Type?: { LocalPackage?: { package_id?: string } } } };
    return parsed.source?.Type?.LocalPackage?.package_id;
  } catch (error) {
    if (/not found|does not exist|could not fetch|not approved/i.test(String((error as Error).message))) return undefined;
    throw error;
  }
}

/** Installs the package on every peer of `org` that lacks it (as that org's admin). */
export async function installOnOrg(ctx: LifecycleContext, org: ResolvedOrg, packageFile: string, packageId: string, progress: Progress): Promise<void> {
  for (const peer of org.peers) {
    const { stdout } = await retryTransient(() => peerCli(ctx.fabric, ctx.layout, org, peer, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json']));
    const installed = (JSON.parse(stdout || '{}') as { installed_chaincodes?: { package_id: string }[] }).installed_chaincodes ?? [];
    if (installed.some((c) => c.package_id === packageId)) continue;
    await peerCli(ctx.fabric, ctx.layout, org, peer, ['lifecycle', 'chaincode', 'install', packageFile]);
    progress.info(`installed on ${peer.id}`);
  }
}

/**
 * The flags that state one definition. approveformyorg, checkcommitreadiness and commit must all
 * state the same definition, so they all take these; the collections config is written first (an
 * empty list is left out rather than passed as an empty collection package).
 */
export async function definitionFlags(ctx: LifecycleContext, sequence: number, packageId: string): Promise<string[]> {
  const collections = renderCollectionsConfig(ctx.net);
  await mkdir(path.dirname(ctx.layout.collectionsConfig), { recursive: true });
  await writeFile(ctx.layout.collectionsConfig, collections);
  const collectionFlags = collectionsConfig(ctx.net).length > 0 ? ['--collections-config', ctx.layout.collectionsConfig] : [];
  return [
    '--channelID', ctx.net.channel.name, '--name', ctx.net.chaincode.name, '--version', definitionVersion(packageId),
    '--sequence', String(sequence), ...policyFlags(ctx.net), ...collectionFlags,
  ];
}

/**
 * Approves the definition for `org` only, with that org's admin identity: what each member runs
 * for itself. An approval already on the ledger counts as done.
 */
export async function approveForOrg(ctx: LifecycleContext, org: ResolvedOrg, definition: readonly string[], packageId: string, progress: Progress): Promise<'approved' | 'already approved'> {
  const index = memberOrgs(ctx.net).findIndex((o) => o.name === org.name);
  try {
    await withOrdererRetry(() => peerCli(ctx.fabric, ctx.layout, org, firstPeer(org), [
      'lifecycle', 'chaincode', 'approveformyorg', ...definition, '--package-id', packageId, ...ordererFlags(ctx.net, ctx.layout, Math.max(index, 0)),
    ]));
    progress.info(`approved by ${org.mspId}`);
    return 'approved';
  } catch (error) {
    if (!isAlreadyApproved(error)) throw error;
    progress.info(`already approved by ${org.mspId}`);
    return 'already approved';
  }
}

/** Which orgs approved the definition, by MSP ID (checkcommitreadiness, asked of `org`'s peer). */
export async function commitReadiness(ctx: LifecycleContext, org: ResolvedOrg, definition: readonly string[]): Promise<Record<string, boolean>> {
  const { stdout } = await retryTransient(() => peerCli(ctx.fabric, ctx.layout, org, firstPeer(org), [
    'lifecycle', 'chaincode', 'checkcommitreadiness', ...definition, '--output', 'json',
  ]));
  return (JSON.parse(stdout) as { approvals?: Record<string, boolean> }).approvals ?? {};
}

/**
 * Whether the approvals meet the channel's LifecycleEndorsement policy, MAJORITY of the member
 * orgs (network/src/channelConfig.ts): more than half of them. The members are the keys of
 * checkcommitreadiness's approvals map, which lists every org of the channel's current config;
 * network.yaml may still name an org that was removed, or not yet name one that joined.
 */
export function lifecyclePolicyMet(approvals: Record<string, boolean>): boolean {
  const members = Object.keys(approvals);
  const approved = members.filter((msp) => approvals[msp] === true).length;
  return members.length > 0 && approved * 2 > members.length;
}

/**
 * The orgs of `orgs` that are on the channel now, by the keys of a checkcommitreadiness approvals
 * map: an org network.yaml still lists after its removal must not approve or endorse.
 */
export function onChannel(orgs: readonly ResolvedOrg[], approvals: Record<string, boolean>): ResolvedOrg[] {
  return orgs.filter((o) => Object.hasOwn(approvals, o.mspId));
}

/**
 * Commits the definition, endorsed by the first peer of each of `endorsers`. A retried commit
 * whose first attempt did commit is refused for its sequence, so the ledger is asked before that
 * counts as a failure.
 */
export async function commitDefinition(ctx: LifecycleContext, submitter: ResolvedOrg, endorsers: readonly ResolvedOrg[], definition: readonly string[], sequence: number): Promise<void> {
  const peerFlags = endorsers.flatMap((org) => {
    const peer = firstPeer(org);
    return ['--peerAddresses', hostPort(peer.host, peer.port), '--tlsRootCertFiles', ctx.layout.peer(org, peer).tlsCa];
  });
  try {
    await withOrdererRetry(() => peerCli(ctx.fabric, ctx.layout, submitter, firstPeer(submitter), [
      'lifecycle', 'chaincode', 'commit', ...definition, ...peerFlags, ...ordererFlags(ctx.net, ctx.layout),
    ]));
  } catch (error) {
    if ((await committedDefinition(ctx, submitter)).sequence !== sequence) throw error;
  }
}
