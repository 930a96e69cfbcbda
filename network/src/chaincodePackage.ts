import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { NetworkError } from './errors';
import { CHAINCODE_TYPE } from './nodeConfig';

/** A chaincode package ready for `peer lifecycle chaincode install`. */
export interface ChaincodePackage {
  label: string;
  /** label:sha256 of the package bytes, exactly as the peer computes it. */
  packageId: string;
  bytes: Buffer;
  fileCount: number;
}

interface Entry {
  name: string;
  data: Buffer;
  executable: boolean;
}

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Files that never belong in the package. */
const SKIP = /(^|\/)(\.git|\.DS_Store|[^/]+\.map|[^/]+\.tsbuildinfo)$/;

function walk(dir: string, prefix: string, out: Entry[], skipNodeModules: boolean): void {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (SKIP.test(rel)) continue;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      if (skipNodeModules && name === 'node_modules') continue;
      walk(full, rel, out, skipNodeModules);
    } else if (stat.isFile()) {
      out.push({ name: rel, data: readFileSync(full), executable: (stat.mode & 0o111) !== 0 });
    }
  }
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Finds `name` the way Node's require would from `fromDir`: the nearest node_modules upwards. */
function resolvePackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The production dependency closure of the chaincode, found by Node's resolution rules (so npm
 * workspaces' hoisting is handled), mapped to the path each package gets inside the package's own
 * node_modules.
 */
function productionDependencies(chaincodeDir: string): Map<string, string> {
  const placed = new Map<string, string>(); // relative path in package -> source dir
  const visit = (fromDir: string, manifest: PackageJson): void => {
    const required = Object.keys(manifest.dependencies ?? {});
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    for (const dep of [...required, ...optional].sort()) {
      const dir = resolvePackageDir(dep, fromDir);
      if (!dir) {
        if (optional.includes(dep)) continue;
        throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `chaincode dependency ${dep} is not installed (run npm install)`, { details: { dep, fromDir } });
      }
      const rel = dir.slice(dir.indexOf(`${path.sep}node_modules${path.sep}`) + 1).split(path.sep).join('/');
      const existing = placed.get(rel);
      if (existing === dir) continue;
      if (existing !== undefined) {
        throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `two versions of ${dep} would share ${rel} in the package`, { details: { existing, dir } });
      }
      placed.set(rel, dir);
      visit(dir, readPackageJson(dir));
    }
  };
  visit(chaincodeDir, readPackageJson(chaincodeDir));
  return placed;
}

async function tar(entries: readonly Entry[]): Promise<Buffer> {
  const archive = tarPack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const finished = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    // Fixed owner, mode and time: the same source always yields the same bytes (and package ID).
    archive.entry({ name: entry.name, mode: entry.executable ? 0o755 : 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' }, entry.data);
  }
  archive.finalize();
  await finished;
  return Buffer.concat(chunks);
}

/** What Fabric accepts as a package label (core/chaincode/persistence: LabelRegexp). */
export const PACKAGE_LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

/** The label a package gets when none is chosen: the chaincode name and its package.json version. */
export function defaultPackageLabel(chaincodeDir: string, name: string): string {
  return `${name}_${readPackageJson(chaincodeDir).version ?? '0.0.0'}`.replace(/[^A-Za-z0-9_.+-]/g, '_');
}

/**
 * Packages the compiled chaincode (package.json, dist/, META-INF/ if present, and its production
 * node_modules) for our external builder. Installing it needs no network access. The label is part
 * of the package bytes, so the same source under another label is another package (another ID):
 * that is how a new version is told apart from the old one when the code did not change.
 */
export async function packageChaincode(chaincodeDir: string, name: string, options: { label?: string } = {}): Promise<ChaincodePackage> {
  if (options.label !== undefined && !PACKAGE_LABEL_PATTERN.test(options.label)) {
    throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `package label "${options.label}" must match ${PACKAGE_LABEL_PATTERN.source}`, { details: { label: options.label } });
  }
  if (!existsSync(path.join(chaincodeDir, 'package.json'))) {
    throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `no package.json in ${chaincodeDir}`, { details: { chaincodeDir } });
  }
  if (!existsSync(path.join(chaincodeDir, 'dist', 'index.js'))) {
    throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `${chaincodeDir}/dist is not built (run npm run build)`);
  }
  const code: Entry[] = [{ name: 'package.json', data: readFileSync(path.join(chaincodeDir, 'package.json')), executable: false }];
  walk(path.join(chaincodeDir, 'dist'), 'dist', code, true);
  if (existsSync(path.join(chaincodeDir, 'META-INF'))) walk(path.join(chaincodeDir, 'META-INF'), 'META-INF', code, true);
  for (const [rel, dir] of [...productionDependencies(chaincodeDir)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    walk(dir, rel, code, true);
  }
  const label = options.label ?? defaultPackageLabel(chaincodeDir, name);
  const codeTarGz = gzipSync(await tar(code), { level: 6 });
  const metadata = Buffer.from(JSON.stringify({ type: CHAINCODE_TYPE, label }));
  const bytes = gzipSync(await tar([
    { name: 'metadata.json', data: metadata, executable: false },
    { name: 'code.tar.gz', data: codeTarGz, executable: false },
  ]), { level: 6 });
  const packageId = `${label}:${createHash('sha256').update(bytes).digest('hex')}`;
  return { label, packageId, bytes, fileCount: code.length };
}
