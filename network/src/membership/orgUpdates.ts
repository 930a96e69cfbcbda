import { NetworkError } from '../errors';
import type { FabricInstall } from '../fabricBinaries';
import type { ActingOrg } from './actingOrg';
import { fetchChannelConfig, memberMspIds, type ChannelConfig, type ConfigJson } from './channelConfigFetch';
import { computeUpdate } from './configtxlator';
import type { OrgDefinition } from './orgDefinition';

/** A computed config update and the config it was computed from. */
export interface ComputedUpdate {
  /** The ConfigUpdate protobuf bytes: what every admin signs and the file that crosses between orgs. */
  update: Buffer;
  base: Pick<ChannelConfig, 'channel' | 'blockNumber' | 'sequence' | 'hash'>;
}

function cloneConfig(config: ConfigJson): ConfigJson {
  return JSON.parse(JSON.stringify(config)) as ConfigJson;
}

function application(config: ConfigJson) {
  const app = config.channel_group.groups?.Application;
  if (!app?.groups) throw new NetworkError('CONFIG_UPDATE_INVALID', 'the channel config has no Application group');
  return app as typeof app & { groups: NonNullable<typeof app.groups> };
}

function summary(current: ChannelConfig): ComputedUpdate['base'] {
  return { channel: current.channel, blockNumber: current.blockNumber, sequence: current.sequence, hash: current.hash };
}

/** The update adding `definition`'s org to the channel's Application group, on the current config. */
export async function computeAddOrgUpdate(fabric: FabricInstall, actor: ActingOrg, definition: OrgDefinition): Promise<ComputedUpdate> {
  const current = await fetchChannelConfig(fabric, actor);
  if (memberMspIds(current.config).includes(definition.mspId)) {
    throw new NetworkError('ORG_ALREADY_MEMBER', `${definition.mspId} is already a member of channel ${current.channel}`);
  }
  const updated = cloneConfig(current.config);
  application(updated).groups[definition.mspId] = definition.group as never;
  return { update: await computeUpdate(fabric, current.channel, current.config, updated), base: summary(current) };
}

/** The update removing the org `mspId` from the channel's Application group, on the current config. */
export async function computeRemoveOrgUpdate(fabric: FabricInstall, actor: ActingOrg, mspId: string): Promise<ComputedUpdate> {
  const current = await fetchChannelConfig(fabric, actor);
  if (!memberMspIds(current.config).includes(mspId)) {
    throw new NetworkError('ORG_NOT_MEMBER', `${mspId} is not a member of channel ${current.channel} (members: ${memberMspIds(current.config).join(', ')})`);
  }
  const updated = cloneConfig(current.config);
  delete application(updated).groups[mspId];
  return { update: await computeUpdate(fabric, current.channel, current.config, updated), base: summary(current) };
}
