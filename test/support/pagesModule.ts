import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from './testNetwork';

const loaded = new Map<string, unknown>();

/**
 * Loads a pure module of the pages (pages/src/<relative>.ts) in Node for a unit test. The pages
 * are browser code outside the test project, so they are bundled here with esbuild (as the page
 * build does, but for Node) instead of compiled by tsc; the page build type-checks them. The
 * caller states the exports it uses as `T`.
 */
export function loadPagesModule<T>(relative: string): T {
  const cached = loaded.get(relative);
  if (cached) return cached as T;
  const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'kyc-pages-')), `${path.basename(relative)}.cjs`);
  buildSync({ entryPoints: [path.join(REPO_ROOT, 'pages', 'src', `${relative}.ts`)], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(outfile) as T;
  loaded.set(relative, mod);
  return mod;
}
