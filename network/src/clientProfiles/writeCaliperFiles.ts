import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { caliperNetworkConfig } from './caliperNetworkConfig';
import { commonConnectionProfile } from './commonConnectionProfile';
import type { ConnectionProfile } from './connectionProfile';

/** Where {@link writeCaliperFiles} put Caliper's network configuration and each org's profile. */
export interface CaliperFiles {
  networkConfig: string;
  connectionProfiles: Record<string, string>;
}

/**
 * Writes each org's common connection profile (`<org>.connection-profile.yaml`) and the Caliper
 * network configuration that names them (`network-config.yaml`) into `dir`: Caliper reads the
 * profiles by path, so both have to be files.
 */
export function writeCaliperFiles(profiles: readonly ConnectionProfile[], dir: string): CaliperFiles {
  mkdirSync(dir, { recursive: true });
  const connectionProfiles: Record<string, string> = {};
  for (const profile of profiles) {
    const file = path.resolve(dir, `${profile.org}.connection-profile.yaml`);
    writeFileSync(file, stringify(commonConnectionProfile(profile)));
    connectionProfiles[profile.mspId] = file;
  }
  const networkConfig = path.resolve(dir, 'network-config.yaml');
  writeFileSync(networkConfig, stringify(caliperNetworkConfig(profiles, connectionProfiles)));
  return { networkConfig, connectionProfiles };
}
