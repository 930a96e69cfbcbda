import { NetworkError } from '../errors';
import type { FabricInstall } from '../fabricBinaries';
import type { ConfigGroupJson, ConfigJson } from './channelConfigFetch';
import { protoDecode } from './configtxlator';
import { orgGroupProblems } from './orgGroupCheck';
import { assertMembershipOnly, assertReadSetCurrent, configUpdateChanges, type ConfigChange } from './updateChanges';

/** What a config update changes, as an admin should see it before signing. */
export interface UpdateSummary {
  channel: string;
  /** Every element the update adds, modifies or removes, by config path. */
  changes: ConfigChange[];
  /** Whether the set of member orgs changes (an add or a remove). */
  changesMembers: boolean;
  /** Member orgs once applied (when the set changes). */
  membersAfter: string[];
  /** Orgs the update brings in. */
  added: string[];
  /** Orgs the update drops. */
  removed: string[];
}

/** The decoded form of a ConfigUpdate (configtxlator's JSON). */
export interface ConfigUpdateJson {
  channel_id?: string;
  read_set?: ConfigGroupJson;
  write_set?: ConfigGroupJson;
}

export interface DescribeOptions {
  /** Accept an update that changes more than one org's membership (off by default: such an update is refused). */
  allowOtherChanges?: boolean;
}

/**
 * Lists what a decoded update changes against the current config (CONFIG_STALE when computed on an
 * older one) and, unless allowed, refuses (CONFIG_UPDATE_INVALID) anything other than adding or
 * removing exactly one member org.
 */
export function summarizeUpdate(json: ConfigUpdateJson, current: ConfigJson, options: DescribeOptions = {}): UpdateSummary {
  if (!json.channel_id || !json.write_set) throw new NetworkError('CONFIG_UPDATE_INVALID', 'the file is not a channel config update (no channel, no write set)');
  assertReadSetCurrent(json.read_set, current.channel_group);
  const changes = configUpdateChanges(json.read_set, json.write_set, current.channel_group);
  if (!options.allowOtherChanges) {
    const { added: newOrg } = assertMembershipOnly(changes, json.write_set, current.channel_group);
    // The new org's group is checked as its definition is: its own MSP and the four plain policies.
    const problems = newOrg === undefined ? [] : orgGroupProblems(json.write_set.groups?.Application?.groups?.[newOrg], newOrg);
    if (problems.length > 0) {
      throw new NetworkError('CONFIG_UPDATE_INVALID', `the group of the org the update adds (${newOrg ?? ''}) is not one this consortium admits: ${problems.join('; ')}`, { details: { problems, changes } });
    }
  }
  const orgsOf = (change: ConfigChange['change']) => changes
    .filter((c) => c.kind === 'group' && c.change === change && /^\/Channel\/Application\/[^/]+$/.test(c.path))
    .map((c) => c.path.slice('/Channel/Application/'.length)).sort();
  const added = orgsOf('added');
  const removed = orgsOf('removed');
  const changesMembers = added.length + removed.length > 0;
  const before = Object.keys(current.channel_group.groups?.Application?.groups ?? {});
  return {
    channel: json.channel_id,
    changes,
    changesMembers,
    membersAfter: changesMembers ? [...before.filter((m) => !removed.includes(m)), ...added].sort() : [],
    added,
    removed,
  };
}

/** Decodes a ConfigUpdate file; CONFIG_UPDATE_INVALID when it is not one. */
export async function decodeUpdate(fabric: FabricInstall, update: Uint8Array): Promise<ConfigUpdateJson> {
  try {
    return (await protoDecode(fabric, 'common.ConfigUpdate', update)) as ConfigUpdateJson;
  } catch (cause) {
    throw new NetworkError('CONFIG_UPDATE_INVALID', 'the file is not a channel config update', { cause });
  }
}

/** Decodes a ConfigUpdate file and summarizes it against the current config (see summarizeUpdate). */
export async function describeUpdate(fabric: FabricInstall, update: Uint8Array, current: ConfigJson, options: DescribeOptions = {}): Promise<UpdateSummary> {
  return summarizeUpdate(await decodeUpdate(fabric, update), current, options);
}
