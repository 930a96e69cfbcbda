import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evmVersion, solcVersion } from '@kyc-ledger/rpc-adapter';
import { REPO_ROOT } from '../../support/testNetwork';

const script = path.join(REPO_ROOT, 'rpc-adapter', 'scripts', 'compileContracts.mjs');

describe('rpc-adapter contract build', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-solc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles the Solidity source twice to identical ABI and bytecode, with the pinned solc and EVM target', () => {
    const outputs = ['a.ts', 'b.ts'].map((name) => {
      const out = path.join(dir, name);
      execFileSync(process.execPath, [script, '--out', out, '--force']);
      return readFileSync(out, 'utf8');
    });
    expect(outputs[0]).to.equal(outputs[1]);
    const bytecode = /kycRegistryTokenBytecode = '(0x[0-9a-f]+)'/.exec(outputs[0]!)?.[1];
    expect(bytecode?.length).to.be.greaterThan(1_000);
    expect(solcVersion).to.equal('0.8.37');
    expect(evmVersion).to.equal('osaka');
    // What the package was built with is what the source compiles to now.
    expect(readFileSync(path.join(REPO_ROOT, 'rpc-adapter', 'src', 'generated', 'contracts.ts'), 'utf8')).to.equal(outputs[0]);
  });
});
