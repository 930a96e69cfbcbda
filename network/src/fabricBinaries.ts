import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { NetworkError } from './errors';
import { run } from './exec';
import { FABRIC, FABRIC_CACHE_KEY, type FabricBinary } from './fabricVersion';
import { step, type Progress } from './progress';

/** Where the Fabric binaries and Fabric's own default configuration files are. */
export interface FabricInstall {
  binDir: string;
  /** Fabric's `sampleconfig` directory of the same module version (core.yaml, orderer.yaml). */
  sampleConfigDir: string;
  /** True when the binaries came from KYC_FABRIC_BIN rather than our cache. */
  external: boolean;
  /** How the binaries were obtained this time. */
  source: 'cache' | 'built' | 'override';
}

export interface FabricInstallOptions {
  /** Root of the binary cache; default $KYC_FABRIC_CACHE or ~/.cache/kyc-ledger/fabric. */
  cacheRoot?: string;
  /** Existing binaries to use instead of building; default $KYC_FABRIC_BIN. */
  binOverride?: string;
  env?: NodeJS.ProcessEnv;
}

const STAMP = 'kyc-ledger-fabric.json';

export function binaryPath(install: FabricInstall, name: FabricBinary): string {
  return path.join(install.binDir, name);
}

function defaultCacheRoot(env: NodeJS.ProcessEnv): string {
  return env.KYC_FABRIC_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'kyc-ledger', 'fabric');
}

async function goEnv(env: NodeJS.ProcessEnv, name: string): Promise<string> {
  try {
    const { stdout } = await run('go', ['env', name], { env });
    return stdout.trim();
  } catch (cause) {
    throw new NetworkError('TOOLCHAIN_MISSING', 'Go is needed to build Fabric (go 1.24 or newer on PATH)', { cause });
  }
}

function missingBinaries(binDir: string): FabricBinary[] {
  return FABRIC.binaries.filter((name) => !existsSync(path.join(binDir, name)));
}

/**
 * Makes Fabric's configuration files of our module version available: they live in the Go module
 * cache, which `go mod download` fills without building anything.
 */
async function sampleConfigDir(env: NodeJS.ProcessEnv, progress: Progress): Promise<string> {
  if (env.KYC_FABRIC_CONFIG) return env.KYC_FABRIC_CONFIG;
  const modCache = await goEnv(env, 'GOMODCACHE');
  const dir = path.join(modCache, `${FABRIC.module}@${FABRIC.moduleVersion}`, 'sampleconfig');
  if (!existsSync(path.join(dir, 'core.yaml'))) {
    await step(progress, 'download Fabric module (config files)', () =>
      run('go', ['mod', 'download', `${FABRIC.module}@${FABRIC.moduleVersion}`], { env }));
  }
  return dir;
}

/**
 * Builds the Fabric binaries from source into a cache keyed by Fabric version, or reuses them.
 *
 * `go install module@version` cannot be used directly: it asks the proxy for the module's version
 * list (to look up deprecations) and our proxy answers 403 there. Installing from a scratch module
 * that requires Fabric at the exact pseudo-version builds the same code without that look-up.
 */
export async function ensureFabric(progress: Progress, options: FabricInstallOptions = {}): Promise<FabricInstall> {
  const env = options.env ?? process.env;
  const override = options.binOverride ?? env.KYC_FABRIC_BIN;
  if (override) {
    const missing = missingBinaries(override);
    if (missing.length > 0) {
      throw new NetworkError('FABRIC_BINARY_MISSING', `KYC_FABRIC_BIN=${override} lacks: ${missing.join(', ')}`, {
        details: { binDir: override, missing },
      });
    }
    return { binDir: override, sampleConfigDir: await sampleConfigDir(env, progress), external: true, source: 'override' };
  }

  const root = path.join(options.cacheRoot ?? defaultCacheRoot(env), FABRIC_CACHE_KEY);
  const binDir = path.join(root, 'bin');
  const stampFile = path.join(root, STAMP);
  if (existsSync(stampFile) && missingBinaries(binDir).length === 0) {
    const stamp = JSON.parse(await readFile(stampFile, 'utf8')) as { moduleVersion?: string };
    if (stamp.moduleVersion === FABRIC.moduleVersion) {
      return { binDir, sampleConfigDir: await sampleConfigDir(env, progress), external: false, source: 'cache' };
    }
  }

  await goEnv(env, 'GOVERSION');
  const buildModule = path.join(root, 'build-module');
  await rm(root, { recursive: true, force: true });
  await mkdir(buildModule, { recursive: true });
  await writeFile(path.join(buildModule, 'go.mod'), `module kyc-ledger/fabric-build\n\ngo 1.24.2\n\nrequire ${FABRIC.module} ${FABRIC.moduleVersion}\n`);
  const buildEnv: NodeJS.ProcessEnv = { ...env, GOBIN: binDir, GOFLAGS: '-mod=mod', CGO_ENABLED: env.CGO_ENABLED ?? '1' };
  const ldflags = [
    `-X ${FABRIC.module}/common/metadata.Version=${FABRIC.release}`,
    `-X ${FABRIC.module}/common/metadata.CommitSHA=${FABRIC.commit.slice(0, 9)}`,
  ].join(' ');

  await step(progress, `fetch Fabric ${FABRIC.release} module and dependencies`, () =>
    run('go', ['mod', 'download', FABRIC.module], { env: buildEnv, cwd: buildModule })
      .then(() => run('go', ['list', '-deps', ...FABRIC.binaries.map((b) => `${FABRIC.module}/cmd/${b}`)], { env: buildEnv, cwd: buildModule })));
  for (const name of FABRIC.binaries) {
    await step(progress, `build ${name}`, async () => {
      try {
        await run('go', ['install', '-trimpath', '-ldflags', ldflags, `${FABRIC.module}/cmd/${name}`], {
          env: buildEnv,
          cwd: buildModule,
          onLine: (line) => progress.info(line),
        });
      } catch (cause) {
        throw new NetworkError('FABRIC_BUILD_FAILED', `building Fabric's ${name} failed`, { cause });
      }
    });
  }
  await writeFile(stampFile, JSON.stringify({ ...FABRIC, builtAt: new Date().toISOString() }, null, 2));
  return { binDir, sampleConfigDir: await sampleConfigDir(env, progress), external: false, source: 'built' };
}
