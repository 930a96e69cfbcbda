import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createProgress, ensureGeth, GETH, gethCacheDir, NetworkError } from '@kyc-ledger/network';

const roots: string[] = [];

/** A cache root laid out as a finished build leaves it, with a stand-in binary. */
function fakeCache(stampVersion: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kyc-geth-cache-'));
  roots.push(root);
  const dir = gethCacheDir({ cacheRoot: root });
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'bin', 'geth'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'bin', 'geth'), 0o755);
  writeFileSync(path.join(dir, 'kyc-ledger-geth.json'), JSON.stringify({ version: stampVersion }));
  return root;
}

describe('geth binary cache', function () {
  after(function () {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('keys the cache by geth version', function () {
    expect(gethCacheDir({ cacheRoot: '/c' })).to.equal(path.join('/c', GETH.version.slice(1)));
    expect(gethCacheDir({ env: { KYC_GETH_CACHE: '/k' } })).to.equal(path.join('/k', GETH.version.slice(1)));
  });

  it('reuses a finished build without running Go', async function () {
    const root = fakeCache(GETH.version);
    // PATH without go: a build attempt would fail with TOOLCHAIN_MISSING.
    const install = await ensureGeth(createProgress(), { cacheRoot: root, env: { PATH: '/nonexistent' } });
    expect(install).to.deep.equal({ binary: path.join(gethCacheDir({ cacheRoot: root }), 'bin', 'geth'), external: false, source: 'cache' });
  });

  it('does not trust a cache stamped with another version: it rebuilds (here: no Go, so a coded error)', async function () {
    const root = fakeCache('v0.0.1');
    const error = await ensureGeth(createProgress(), { cacheRoot: root, env: { PATH: '/nonexistent' } }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(NetworkError).with.property('code', 'TOOLCHAIN_MISSING');
  });

  it('uses KYC_GETH_BIN as is, and refuses one that does not exist', async function () {
    const root = fakeCache(GETH.version);
    const binary = path.join(gethCacheDir({ cacheRoot: root }), 'bin', 'geth');
    expect(await ensureGeth(createProgress(), { env: { KYC_GETH_BIN: binary } })).to.deep.equal({ binary, external: true, source: 'override' });
    const error = await ensureGeth(createProgress(), { env: { KYC_GETH_BIN: '/nonexistent/geth' } }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(NetworkError).with.property('code', 'GETH_BINARY_MISSING');
  });
});
