import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { extract } from 'tar-stream';
import { packageChaincode } from '@kyc-ledger/network';
import { REPO_ROOT } from '../../support/testNetwork';

async function entries(tarGz: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => { files.set(header.name, Buffer.concat(chunks)); next(); });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(gunzipSync(tarGz));
  await done;
  return files;
}

/** Links every package of `from` into `to`, replacing what is there (scoped folders are merged). */
function linkPackages(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (name.startsWith('@')) {
      linkPackages(path.join(from, name), path.join(to, name));
      continue;
    }
    rmSync(path.join(to, name), { force: true });
    symlinkSync(path.join(from, name), path.join(to, name));
  }
}

describe('chaincode package', function () {
  this.timeout(60_000);
  const chaincodeDir = path.join(REPO_ROOT, 'chaincode');

  it('is byte-identical for the same source, so the package ID is deterministic', async function () {
    const a = await packageChaincode(chaincodeDir, 'kyc');
    const b = await packageChaincode(chaincodeDir, 'kyc');
    expect(a.packageId).to.match(/^kyc_0\.1\.0:[0-9a-f]{64}$/);
    expect(b.packageId).to.equal(a.packageId);
    expect(b.bytes.equals(a.bytes)).to.equal(true);
  });

  it('changes its ID when the code changes', async function () {
    const copy = mkdtempSync(path.join(tmpdir(), 'kyc-cc-'));
    cpSync(path.join(chaincodeDir, 'package.json'), path.join(copy, 'package.json'));
    cpSync(path.join(chaincodeDir, 'dist'), path.join(copy, 'dist'), { recursive: true });
    // Resolve dependencies the same way the real package does: the chaincode's own node_modules
    // (versions npm could not hoist) before the workspace's.
    linkPackages(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    const own = path.join(chaincodeDir, 'node_modules');
    if (existsSync(own)) linkPackages(own, path.join(copy, 'node_modules'));
    const same = await packageChaincode(copy, 'kyc');
    writeFileSync(path.join(copy, 'dist', 'index.js'), '// changed\n', { flag: 'a' });
    const changed = await packageChaincode(copy, 'kyc');
    const original = await packageChaincode(chaincodeDir, 'kyc');
    expect(same.packageId).to.equal(original.packageId);
    expect(changed.packageId).to.not.equal(original.packageId);
  });

  it('holds metadata for our external builder and a self-contained code archive (no network needed to install)', async function () {
    const pkg = await packageChaincode(chaincodeDir, 'kyc');
    const outer = await entries(pkg.bytes);
    expect([...outer.keys()]).to.deep.equal(['code.tar.gz', 'metadata.json']);
    expect(JSON.parse(outer.get('metadata.json')?.toString() ?? '')).to.deep.equal({ type: 'kyc-node', label: 'kyc_0.1.0' });
    const code = await entries(outer.get('code.tar.gz') as Buffer);
    for (const required of ['package.json', 'dist/index.js', 'node_modules/fabric-shim/cli.js', 'node_modules/fabric-contract-api/package.json', 'node_modules/json-canonicalize/package.json']) {
      expect(code.has(required), required).to.equal(true);
    }
    // @kyc-ledger/crypto's @noble/hashes v2 (not hoisted: the gateway needs v1 at the top).
    const noble = [...code.keys()].filter((n) => n.endsWith('@noble/hashes/package.json')).map((n) => (JSON.parse(code.get(n)?.toString() ?? '{}') as { version?: string }).version);
    expect(noble).to.include('2.4.0');
    const names = [...code.keys()];
    expect(names.filter((n) => n.endsWith('.map') || n.endsWith('.tsbuildinfo'))).to.deep.equal([]);
    expect(names.filter((n) => n.startsWith('node_modules/mocha/') || n.startsWith('node_modules/typescript/'))).to.deep.equal([]);
  });
});
