import { NetworkError } from '../errors';
import type { FabricInstall } from '../fabricBinaries';
import type { ConfigGroupJson } from './channelConfigFetch';
import { protoDecode } from './configtxlator';

/** What a config update changes, as an admin should see it before signing. */
export interface UpdateSummary {
  channel: string;
  /** Whether the set of member orgs changes (an add or a remove). */
  changesMembers: boolean;
  /** Member orgs once applied (when the set changes). */
  membersAfter: string[];
  /** Orgs the update brings in. */
  added: string[];
}

interface ConfigUpdateJson {
  channel_id?: string;
  read_set?: ConfigGroupJson;
  write_set?: ConfigGroupJson;
}

/** Decodes a ConfigUpdate file; CONFIG_UPDATE_INVALID when it is not one. */
export async function describeUpdate(fabric: FabricInstall, update: Uint8Array): Promise<UpdateSummary> {
  let json: ConfigUpdateJson;
  try {
    json = (await protoDecode(fabric, 'common.ConfigUpdate', update)) as ConfigUpdateJson;
  } catch (cause) {
    throw new NetworkError('CONFIG_UPDATE_INVALID', 'the file is not a channel config update', { cause });
  }
  if (!json.channel_id || !json.write_set) throw new NetworkError('CONFIG_UPDATE_INVALID', 'the file is not a channel config update (no channel, no write set)');
  const read = json.read_set?.groups?.Application;
  const write = json.write_set.groups?.Application;
  const changesMembers = !!read && !!write && Number(write.version ?? 0) > Number(read.version ?? 0);
  const readOrgs = Object.keys(read?.groups ?? {});
  const writeOrgs = Object.keys(write?.groups ?? {});
  return {
    channel: json.channel_id,
    changesMembers,
    membersAfter: changesMembers ? writeOrgs.sort() : [],
    added: writeOrgs.filter((o) => !readOrgs.includes(o)).sort(),
  };
}
