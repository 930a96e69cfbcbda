import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { FollowerDb } from '@kyc-ledger/follower';

/**
 * The gateway's embedded store under its data dir: a LevelDB (classic-level) holding a role's
 * replica and the follower's checkpoint. One process at a time may open it (LevelDB's lock).
 */
export function openReplicaStore(dataDir: string, name: string): FollowerDb {
  mkdirSync(dataDir, { recursive: true });
  return new ClassicLevel<string, string>(path.join(dataDir, name), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
}
