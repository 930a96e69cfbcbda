#!/usr/bin/env node
// The pages' production build, run by scripts/bootstrap.mjs (so by `npm start` and `npm test`):
// type-check the browser code (tsc, DOM types, no emit), bundle each page's entry with esbuild into
// dist/<page>/app.js, and copy the static files (HTML, CSS, manifest) beside them. The gateways
// serve dist/ under /app/. Node built-ins are not resolvable in a browser bundle, so a page that
// reaches one (say through a Node-only module of @kyc-ledger/crypto) fails the build here.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const PAGES = ['wallet', 'counter', 'admin', 'issuer'];

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const require = createRequire(import.meta.url);

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(here, 'tsconfig.json')], { stdio: 'inherit' });

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
cpSync(path.join(here, 'static'), dist, { recursive: true });
/**
 * zod (through @kyc-ledger/crypto's CommonJS build) would bring every one of its ~50 message
 * locales (over 300 KiB minified) into the wallet bundle; the pages only ever use English, which
 * zod loads by itself, so `z.locales` holds just `en` here.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: args.importer, namespace: 'zod-locales' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: "exports.en = require('../locales/en.cjs').default;", resolveDir: path.dirname(args.path), loader: 'js' }));
  },
};

const result = await build({
  plugins: [zodEnglishOnly],
  entryPoints: {
    ...Object.fromEntries(PAGES.map((page) => [`${page}/app`, path.join(here, 'src', page, 'main.ts')])),
    // The wallet's service worker (offline use); served from /app/wallet/ so that is its scope.
    'wallet/sw': path.join(here, 'src', 'wallet', 'sw.ts'),
  },
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome111', 'firefox115', 'safari16.4'],
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
const sizes = Object.fromEntries(Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js')).map(([file, out]) => [path.relative(dist, file), out.bytes]));
writeFileSync(path.join(dist, 'build.json'), `${JSON.stringify({ builtAt: new Date().toISOString(), pages: PAGES, bytes: sizes }, null, 2)}\n`);
process.stderr.write(`pages: ${Object.entries(sizes).map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(0)} KiB`).join(', ')}\n`);
