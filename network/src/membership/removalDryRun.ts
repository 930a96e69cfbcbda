import { common, msp, peer as peerProto } from '@hyperledger/fabric-protos';
import { NetworkError } from '../errors';
import { run } from '../exec';
import { binaryPath, type FabricInstall } from '../fabricBinaries';
import type { ActingOrg } from './actingOrg';
import { implicitMeta, thresholdOf } from './adminPolicy';
import { fetchChannelConfig, memberMspIds, type ConfigGroupJson, type ConfigJson } from './channelConfigFetch';

/** One policy and whether the orgs left after a removal can still meet it. */
export interface PolicyCheck {
  /** e.g. /Channel/Application/Endorsement, or chaincode:kyc for a chaincode's endorsement. */
  policy: string;
  rule: string;
  /** Sub-policies (orgs or groups) it needs now and after the removal. */
  neededBefore?: number;
  neededAfter?: number;
  /** Sub-policies there are after the removal. */
  availableAfter?: number;
  satisfiable: boolean;
  note?: string;
}

export interface RemovalDryRun {
  channel: string;
  mspId: string;
  membersBefore: string[];
  membersAfter: string[];
  policies: PolicyCheck[];
  /** True when every policy listed stays satisfiable. */
  safe: boolean;
}

/**
 * Whether a group's policy can be met by the orgs in `config`: an ImplicitMeta policy needs its
 * threshold of sub-groups to meet theirs; an org's own Signature policy is met by that org.
 */
function satisfiable(group: ConfigGroupJson, name: string): boolean {
  const meta = implicitMeta(group, name);
  if (!meta) return group.policies?.[name] !== undefined;
  const subgroups = Object.values(group.groups ?? {});
  const met = subgroups.filter((g) => satisfiable(g, meta.subPolicy)).length;
  return met >= thresholdOf(meta.rule, subgroups.length) && (subgroups.length > 0 || meta.rule !== 'ALL');
}

function checkGroup(before: ConfigGroupJson, after: ConfigGroupJson, groupPath: string): PolicyCheck[] {
  return Object.keys(before.policies ?? {}).sort().map((name) => {
    const meta = implicitMeta(before, name);
    const count = (g: ConfigGroupJson) => Object.keys(g.groups ?? {}).length;
    return {
      policy: `${groupPath}/${name}`,
      rule: meta ? `${meta.rule} ${meta.subPolicy}` : 'Signature',
      ...(meta && { neededBefore: thresholdOf(meta.rule, count(before)), neededAfter: thresholdOf(meta.rule, count(after)), availableAfter: count(after) }),
      satisfiable: satisfiable(after, name),
    };
  });
}

/** MSP IDs a signature policy names (its principals' roles). */
function principalMsps(envelope: common.SignaturePolicyEnvelope): string[] {
  return envelope.getIdentitiesList().flatMap((principal) => {
    try {
      // Role principals (MSP.peer, MSP.admin, MSP.member) are the only kind this network uses.
      return [msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8()).getMspIdentifier()];
    } catch {
      return [];
    }
  });
}

async function chaincodeCheck(fabric: FabricInstall, actor: ActingOrg, chaincode: string, mspId: string, after: ConfigJson): Promise<PolicyCheck> {
  const { stdout } = await run(binaryPath(fabric, 'peer'), ['lifecycle', 'chaincode', 'querycommitted', '--channelID', actor.channel, '--name', chaincode, '--output', 'json'], { env: actor.peerEnv, timeoutMs: 60_000 });
  const committed = JSON.parse(stdout) as { sequence?: number; validation_parameter?: string };
  const policy = peerProto.ApplicationPolicy.deserializeBinary(Buffer.from(committed.validation_parameter ?? '', 'base64'));
  const reference = policy.getChannelConfigPolicyReference();
  if (reference) {
    const parts = reference.split('/').filter(Boolean);
    let group: ConfigGroupJson | undefined = after.channel_group;
    for (const part of parts.slice(1, -1)) group = group?.groups?.[part];
    const name = parts[parts.length - 1] ?? '';
    return { policy: `chaincode:${chaincode}`, rule: `channel policy ${reference}`, satisfiable: !!group && satisfiable(group, name), note: `sequence ${committed.sequence ?? '?'}; follows the channel policy, so the removed org's peer no longer counts` };
  }
  const signature = policy.getSignaturePolicy();
  const named = signature ? principalMsps(signature) : [];
  return {
    policy: `chaincode:${chaincode}`,
    rule: 'signature policy',
    satisfiable: !named.includes(mspId),
    note: named.includes(mspId) ? `names ${mspId}: commit a new chaincode definition without it before removing the org` : `names ${named.join(', ')}`,
  };
}

/**
 * The member registry's side: the org leaves the registry by governance (`removeMember`, which
 * revokes a certifier's accreditation in the same transaction) before it leaves the channel, so its
 * attestations stop verifying and its role ends while the channel still lets the members see it go.
 */
async function registryCheck(fabric: FabricInstall, actor: ActingOrg, chaincode: string, mspId: string): Promise<PolicyCheck[]> {
  const query = async (fn: string, args: string[]) =>
    run(binaryPath(fabric, 'peer'), ['chaincode', 'query', '-C', actor.channel, '-n', chaincode, '-c', JSON.stringify({ function: fn, Args: args })], { env: actor.peerEnv, timeoutMs: 60_000 });
  const members = JSON.parse((await query('registry:listMembers', [])).stdout) as { mspId: string; status: string }[];
  const member = members.find((m) => m.mspId === mspId);
  const active = member?.status === 'active';
  let accreditation: { status?: string } | undefined;
  try {
    accreditation = JSON.parse((await query('registry:getAccreditation', [mspId])).stdout) as { status?: string };
  } catch (error) {
    // NOT_FOUND: the org never was an accredited certifier.
    if (!/NOT_FOUND|no accreditation/.test(String((error as Error).message))) throw error;
  }
  const accredited = accreditation?.status === 'active';
  return [
    {
      policy: 'registry:member', rule: 'removed from the member registry first (governance removeMember)', satisfiable: !active,
      note: active ? `${mspId} is still an active registry member: \`kyc-network governance propose removeMember --msp-id ${mspId}\` and a majority's approvals first` : member ? `status ${member.status}` : 'never a registry member',
    },
    {
      policy: 'registry:accreditation', rule: 'no active certifier accreditation', satisfiable: !accredited,
      note: accredited ? `${mspId} is still an accredited certifier: its removeMember (or deaccredit) proposal revokes it` : accreditation ? `status ${accreditation.status}` : 'never accredited',
    },
  ];
}

/**
 * What removing `mspId` would do, computed on the current config without changing anything:
 * every channel policy (/Channel, /Channel/Application incl. Endorsement and
 * LifecycleEndorsement, /Channel/Orderer) and the chaincode's endorsement policy, each with
 * whether the remaining orgs still satisfy it, and whether the registry already let the org go.
 */
export async function removalDryRun(fabric: FabricInstall, actor: ActingOrg, mspId: string, chaincode: string | undefined): Promise<RemovalDryRun> {
  const current = await fetchChannelConfig(fabric, actor);
  const membersBefore = memberMspIds(current.config);
  if (!membersBefore.includes(mspId)) {
    throw new NetworkError('ORG_NOT_MEMBER', `${mspId} is not a member of channel ${current.channel} (members: ${membersBefore.join(', ')})`);
  }
  const after = JSON.parse(JSON.stringify(current.config)) as ConfigJson;
  delete after.channel_group.groups?.Application?.groups?.[mspId];
  const before = current.config.channel_group;
  const policies: PolicyCheck[] = [...checkGroup(before, after.channel_group, '/Channel')];
  for (const name of Object.keys(before.groups ?? {}).sort()) {
    const b = before.groups?.[name];
    const a = after.channel_group.groups?.[name];
    if (b && a) policies.push(...checkGroup(b, a, `/Channel/${name}`));
  }
  if (chaincode) policies.push(await chaincodeCheck(fabric, actor, chaincode, mspId, after), ...(await registryCheck(fabric, actor, chaincode, mspId)));
  return {
    channel: current.channel,
    mspId,
    membersBefore,
    membersAfter: memberMspIds(after),
    policies,
    safe: policies.every((p) => p.satisfiable),
  };
}
