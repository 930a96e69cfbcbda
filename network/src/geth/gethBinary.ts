import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { NetworkError } from '../errors';
import { run } from '../exec';
import { step, type Progress } from '../progress';
import { GETH, GETH_CACHE_KEY } from './gethVersion';

/** Where the geth binary is and how it was obtained this time. */
export interface GethInstall {
  binary: string;
  /** True when the binary came from KYC_GETH_BIN rather than our cache. */
  external: boolean;
  source: 'cache' | 'built' | 'override';
}

export interface GethInstallOptions {
  /** Root of the binary cache; default $KYC_GETH_CACHE or ~/.cache/kyc-ledger/geth. */
  cacheRoot?: string;
  /** An existing geth binary to use instead of building; default $KYC_GETH_BIN. */
  binOverride?: string;
  env?: NodeJS.ProcessEnv;
}

const STAMP = 'kyc-ledger-geth.json';

function defaultCacheRoot(env: NodeJS.ProcessEnv): string {
  return env.KYC_GETH_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'kyc-ledger', 'geth');
}

/** The cache directory of our geth version (binary in `bin/geth`, a stamp beside it). */
export function gethCacheDir(options: GethInstallOptions = {}): string {
  return path.join(options.cacheRoot ?? defaultCacheRoot(options.env ?? process.env), GETH_CACHE_KEY);
}

/**
 * Builds geth from the Go module proxy into a cache keyed by version, or reuses it.
 *
 * `CGO_ENABLED=0` gives a static binary with no C toolchain needed (geth's pure-Go fallbacks for
 * secp256k1 and the KZG library are used). The stamp is written last, so an interrupted build is
 * redone rather than trusted.
 */
export async function ensureGeth(progress: Progress, options: GethInstallOptions = {}): Promise<GethInstall> {
  const env = options.env ?? process.env;
  const override = options.binOverride ?? env.KYC_GETH_BIN;
  if (override) {
    if (!existsSync(override)) {
      throw new NetworkError('GETH_BINARY_MISSING', `KYC_GETH_BIN=${override} does not exist`, { details: { binary: override } });
    }
    return { binary: override, external: true, source: 'override' };
  }

  const root = gethCacheDir(options);
  const binDir = path.join(root, 'bin');
  const binary = path.join(binDir, 'geth');
  const stampFile = path.join(root, STAMP);
  if (existsSync(stampFile) && existsSync(binary)) {
    const stamp = JSON.parse(await readFile(stampFile, 'utf8')) as { version?: string };
    if (stamp.version === GETH.version) return { binary, external: false, source: 'cache' };
  }

  try {
    await run('go', ['version'], { env });
  } catch (cause) {
    throw new NetworkError('TOOLCHAIN_MISSING', 'Go is needed to build geth (go 1.24 or newer on PATH)', { cause });
  }
  await rm(root, { recursive: true, force: true });
  await mkdir(binDir, { recursive: true });
  // Outside any module (cwd is the cache dir) and without inherited -mod flags, which
  // `go install pkg@version` refuses.
  const buildEnv: NodeJS.ProcessEnv = { ...env, GOBIN: binDir, CGO_ENABLED: '0', GOFLAGS: '', GOWORK: 'off' };
  await step(progress, `download geth ${GETH.version} module`, () =>
    run('go', ['mod', 'download', `${GETH.module}@${GETH.version}`], { env: buildEnv, cwd: root }).catch((cause: unknown) => {
      throw new NetworkError('GETH_BUILD_FAILED', `downloading ${GETH.module}@${GETH.version} failed`, { cause });
    }));
  await step(progress, `build geth ${GETH.version} (CGO_ENABLED=0; a few minutes the first time)`, async () => {
    try {
      await run('go', ['install', `${GETH.package}@${GETH.version}`], { env: buildEnv, cwd: root, onLine: (line) => progress.info(line) });
    } catch (cause) {
      throw new NetworkError('GETH_BUILD_FAILED', `building geth ${GETH.version} failed`, { cause });
    }
  });
  await writeFile(stampFile, JSON.stringify({ ...GETH, cgo: false, builtAt: new Date().toISOString() }, null, 2));
  return { binary, external: false, source: 'built' };
}
