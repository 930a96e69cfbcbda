#!/usr/bin/env node
// First step of `npm start` and `npm test` on any machine: check the toolchain, install the npm
// packages when they are missing or stale, and compile the TypeScript. Plain JavaScript with no
// dependencies, because it runs before anything is installed. Fabric itself is built (or found in
// its cache) by the network CLI; geth is built (or found) here, since unit tests run it too.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const say = (line) => process.stderr.write(`${line}\n`);

function fail(message) {
  say(`bootstrap: ${message}`);
  process.exit(1);
}

const [major, minor] = process.versions.node.split('.').map(Number);
// 20.19: the audited noble/scure crypto libraries are ESM-only and load through require(esm).
if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19 or newer is needed (found ${process.versions.node})`);
try {
  const version = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  const [, goMinor] = version.replace(/^go/, '').split('.').map(Number);
  if (!(goMinor >= 24)) fail(`Go 1.24 or newer is needed to build Fabric (found ${version})`);
} catch {
  fail('Go is needed to build Fabric from source: install Go 1.24 or newer and put it on PATH');
}

function step(name, command, args) {
  const t = Date.now();
  say(`▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) fail(`${name} failed (${command} ${args.join(' ')})`);
  say(`✔ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

/**
 * The page tests drive a real Chromium: Debian's package (a browser downloaded by a test tool
 * would not be reachable from every machine). Installed with apt when missing and we are root.
 */
function ensureChromium() {
  const chromium = process.env.KYC_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  if (process.env.KYC_CHROMIUM) fail(`KYC_CHROMIUM=${chromium} does not exist`);
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    fail("the page tests need Chromium: install Debian's package (sudo apt-get install -y chromium) or set KYC_CHROMIUM to a Chromium binary");
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] }).status === 0;
  const t = Date.now();
  say('▶ Chromium for the page tests (apt-get install chromium)');
  if (!apt(['install', '-y', '-q', 'chromium']) && !(apt(['update', '-q']) && apt(['install', '-y', '-q', 'chromium']))) {
    fail('apt-get could not install chromium');
  }
  if (!existsSync(chromium)) fail(`apt-get installed chromium but ${chromium} is not there`);
  say(`✔ Chromium (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const stale = !existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs;
if (stale) step('npm packages', 'npm', ['ci', '--no-audit', '--no-fund']);
// The EVM contract's ABI and bytecode are generated from its Solidity source, never copied by hand.
step('compile Solidity contracts', 'node', ['rpc-adapter/scripts/compileContracts.mjs']);
step('compile TypeScript', 'npx', ['tsc', '-b']);
// The pages the gateways serve under /app/: type-checked and bundled for browsers.
step('build the pages', 'node', ['pages/build.mjs']);
if (process.argv.includes('--browser')) ensureChromium();
// geth for the institutions' private chains (and the tests that run it): built once into its cache.
step('geth (build or find in the cache)', 'node', ['network/dist/cli.js', 'geth']);
say(`bootstrap done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
