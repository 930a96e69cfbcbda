import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../support/testNetwork';
import { scratchDir } from '../../support/scratchDir';

const CLI = path.join(REPO_ROOT, 'network', 'dist', 'cli.js');

describe('kyc-network CLI on a bad network.yaml', function () {
  it('exits 2 listing every problem, and starts nothing (no data directory is created)', function () {
    const dir = scratchDir('kyc-bad-');
    const good = readFileSync(path.join(REPO_ROOT, 'network.yaml'), 'utf8');
    const bad = good
      .replace('role: certifier', 'role: regulator')
      .replace('chaincode:\n  name: kyc\n  path: chaincode', `chaincode:\n  name: kyc\n  path: ${path.join(REPO_ROOT, 'chaincode')}`)
      .replace('channel:\n  name: kyc', 'channel:\n  name: kyc\n  members: [certifier1, bank1, bank9]')
      .replace('    role: bank\n    displayName: Bank One', '    role: bank\n    displayName: Bank One\n    peers:\n      - name: peer0\n        port: 7300\n        chaincodePort: 7300');
    const file = path.join(dir, 'network.yaml');
    writeFileSync(file, bad);
    const dataDir = path.join(dir, 'data');
    const result = spawnSync(process.execPath, [CLI, '-f', file, '--data-dir', dataDir, 'up'], { encoding: 'utf8' });
    expect(result.status, result.stderr).to.equal(2);
    expect(result.stderr).to.contain('error CONFIG_INVALID');
    expect(result.stderr).to.contain('orgs[0].role');
    expect(result.stderr).to.contain('port 7300 on 127.0.0.1 is used more than once');
    expect(result.stderr).to.contain('unknown org "bank9"');
    expect(existsSync(dataDir)).to.equal(false);
  });

  it('answers --json with the coded error', function () {
    const result = spawnSync(process.execPath, [CLI, '-f', '/nonexistent.yaml', '--json', 'status'], { encoding: 'utf8' });
    expect(result.status).to.equal(2);
    expect(JSON.parse(result.stdout)).to.have.nested.property('error.code', 'CONFIG_NOT_FOUND');
  });

  it('validates the default file', function () {
    const result = spawnSync(process.execPath, [CLI, '-f', path.join(REPO_ROOT, 'network.yaml'), 'validate'], { encoding: 'utf8' });
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('4 orgs, 3 raft orderers, channel kyc');
  });

  it('refuses a bad address or depth for a private chain before touching it, and names the chains it knows', function () {
    const file = path.join(REPO_ROOT, 'network.yaml');
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, '-f', file, '--port-base', '42900', ...args], { encoding: 'utf8' });
    const badAddress = run('fund', 'issuer1-evm', '0x1234');
    expect(badAddress.status).to.equal(2);
    expect(badAddress.stderr).to.contain('"0x1234" is not an EVM address');
    const badDepth = run('reorg', 'issuer1-evm', '-3');
    expect(badDepth.status).to.not.equal(0);
    const unknown = run('--json', 'reorg', 'nochain', '1');
    expect(unknown.status).to.equal(2);
    expect(JSON.parse(unknown.stdout)).to.have.nested.property('error.code', 'UNKNOWN_NODE');
    expect(JSON.parse(unknown.stdout).error.message).to.contain('chains: issuer1-evm');
  });

  it('up --org and down --org refuse names that are no org (every one named), before touching anything', function () {
    const dir = scratchDir('kyc-org-');
    const dataDir = path.join(dir, 'data');
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, '-f', path.join(REPO_ROOT, 'network.yaml'), '--data-dir', dataDir, '--port-base', '42900', '--json', ...args], { encoding: 'utf8' });
    for (const result of [run('up', '--org', 'bank1,bank9', '--org', 'nobody'), run('down', '--org', 'bank9,nobody')]) {
      expect(result.status, result.stderr).to.equal(2);
      const error = JSON.parse(result.stdout).error as { code: string; message: string };
      expect(error.code).to.equal('UNKNOWN_ORG');
      expect(error.message).to.contain('"bank9"').and.to.contain('"nobody"').and.to.contain('orgs: orderer, certifier1, bank1, bank2, issuer1');
    }
    expect(existsSync(dataDir)).to.equal(false);
  });
});
