import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MANIFEST = path.join(__dirname, '..', '..', 'caliper', 'caliper.package.json');
const LOCK = path.join(__dirname, '..', '..', 'caliper', 'caliper.package-lock.json');

/** The Caliper CLI's entry point inside an install directory. */
export function caliperCli(dir: string): string {
  return path.join(dir, 'node_modules', '@hyperledger', 'caliper-cli', 'caliper.js');
}

/**
 * Installs Hyperledger Caliper 0.6.0 and its Fabric peer-gateway binding (the packages
 * `caliper bind --caliper-bind-sut fabric:fabric-gateway` would add, pinned with a lock file in
 * test/caliper/) into `dir`, away from the repository's own dependencies. A second run with the
 * same lock reuses the install. Install scripts are skipped: they only build optional native
 * add-ons (HSM, Ethereum) the Fabric connector does not use.
 */
export function ensureCaliper(dir: string, log: (line: string) => void): void {
  const stamp = createHash('sha256').update(readFileSync(MANIFEST)).update(readFileSync(LOCK)).digest('hex');
  const stampFile = path.join(dir, '.installed');
  if (existsSync(caliperCli(dir)) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  mkdirSync(dir, { recursive: true });
  copyFileSync(MANIFEST, path.join(dir, 'package.json'));
  copyFileSync(LOCK, path.join(dir, 'package-lock.json'));
  log(`installing Caliper 0.6.0 into ${dir} (npm ci, about two minutes the first time)`);
  const npm = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  if (npm.status !== 0) throw new Error(`npm ci in ${dir} failed (exit ${npm.status ?? npm.signal})`);
  writeFileSync(stampFile, stamp);
}
