import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../exec';
import { parseChannelInfo } from '../fabricCli';
import { binaryPath, type FabricInstall } from '../fabricBinaries';
import { retryTransient } from '../transientRetry';
import type { ActingOrg } from './actingOrg';
import { protoDecode } from './configtxlator';

/** Fabric's JSON form of a channel Config (configtxlator's). */
export interface ConfigJson {
  sequence?: string;
  channel_group: ConfigGroupJson;
}

export interface ConfigGroupJson {
  groups?: Record<string, ConfigGroupJson>;
  values?: Record<string, { mod_policy?: string; value?: unknown; version?: string }>;
  policies?: Record<string, { mod_policy?: string; policy?: { type?: number; value?: unknown }; version?: string }>;
  mod_policy?: string;
  version?: string;
}

/** The channel's current config as one org reads it from the orderer. */
export interface ChannelConfig {
  channel: string;
  /** Number of the config block it came from. */
  blockNumber: number;
  /** The config's sequence (one more per committed config update). */
  sequence: number;
  /**
   * SHA-256 of the config's JSON with sorted keys: equal hashes, equal configs. (Not of the
   * protobuf: Go marshals its maps in no fixed order, so re-encoding the same config varies.)
   */
  hash: string;
  config: ConfigJson;
}

interface BlockJson {
  header: { number: string };
  data: { data: { payload: { data: { config: ConfigJson } } }[] };
}

/** Fetches the newest config block from the orderer as `org`'s admin and decodes it. */
export async function fetchChannelConfig(fabric: FabricInstall, org: ActingOrg): Promise<ChannelConfig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kyc-config-'));
  try {
    const file = path.join(dir, 'config.block');
    await retryTransient(() => run(binaryPath(fabric, 'peer'), ['channel', 'fetch', 'config', file, '-c', org.channel, ...org.ordererFlags], { env: org.peerEnv, timeoutMs: 60_000 }));
    const block = (await protoDecode(fabric, 'common.Block', await readFile(file))) as BlockJson;
    const config = block.data.data[0]?.payload.data.config;
    if (!config) throw new Error('the config block holds no config');
    return {
      channel: org.channel,
      blockNumber: Number(block.header.number),
      sequence: Number(config.sequence ?? 0),
      hash: createHash('sha256').update(sortedJson(config)).digest('hex'),
      config,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The application (member) orgs of a config, by MSP ID. */
export function memberMspIds(config: ConfigJson): string[] {
  return Object.keys(config.channel_group.groups?.Application?.groups ?? {}).sort();
}

/** The channel's block height on the acting org's peer (`peer channel getinfo`). */
export async function channelHeight(fabric: FabricInstall, org: ActingOrg): Promise<number> {
  const { stdout } = await run(binaryPath(fabric, 'peer'), ['channel', 'getinfo', '-c', org.channel], { env: org.peerEnv, timeoutMs: 30_000 });
  return parseChannelInfo(stdout).height;
}

/** JSON with object keys sorted at every level, so equal values print equally. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
