import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { proposalInput } from '@kyc-ledger/network/dist/governance/proposalInput';
import { REPO_ROOT } from '../../support/testNetwork';
import { scratchDir } from '../../support/scratchDir';

const CLI = path.join(REPO_ROOT, 'network', 'dist', 'cli.js');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('kyc-network governance: proposals from flags or a payload file', function () {
  it('builds each action from its flags, checked with the registry\'s own schema', function () {
    expect(proposalInput('deaccredit', { certifier: 'Certifier1MSP' })).to.deep.equal({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } });
    expect(proposalInput('removeMember', { mspId: 'Bank2MSP' })).to.deep.equal({ action: 'removeMember', payload: { mspId: 'Bank2MSP' } });
    expect(proposalInput('addMember', { mspId: 'Bank3MSP', displayName: 'Bank Three', roles: 'bank' })).to.deep.equal({ action: 'addMember', payload: { mspId: 'Bank3MSP', name: 'Bank Three', roles: ['bank'] } });
    expect(proposalInput('accredit', {
      certifier: 'Certifier1MSP', countries: 'DE, FR', claimTopics: 'identity', maxAssurance: 'high', validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z',
    }).payload).to.deep.equal({ certifier: 'Certifier1MSP', countries: ['DE', 'FR'], claimTopics: ['identity'], maxAssuranceLevel: 'high', validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' });
  });

  it('reads a payload file as JSON or YAML; publishRuleSet needs one', function () {
    const dir = scratchDir('kyc-gov-');
    const yaml = path.join(dir, 'rules.yaml');
    writeFileSync(yaml, 'kind: banking\nscope: consortium\neffectiveFrom: "2030-01-01T00:00:00Z"\nrules: {}\n');
    expect(proposalInput('publishRuleSet', { payloadFile: yaml }).payload).to.deep.equal({ kind: 'banking', scope: 'consortium', effectiveFrom: '2030-01-01T00:00:00Z', rules: {} });
    const json = path.join(dir, 'deaccredit.json');
    writeFileSync(json, '{"certifier":"Certifier1MSP"}');
    expect(proposalInput('deaccredit', { payloadFile: json }).payload).to.deep.equal({ certifier: 'Certifier1MSP' });
    expect(codeOf(() => proposalInput('publishRuleSet', {}))).to.equal('INVALID_ARGUMENT');
    expect(codeOf(() => proposalInput('deaccredit', { payloadFile: json, certifier: 'Certifier1MSP' }))).to.equal('INVALID_ARGUMENT');
    expect(codeOf(() => proposalInput('deaccredit', { payloadFile: path.join(dir, 'missing.json') }))).to.equal('INVALID_ARGUMENT');
  });

  it('refuses an unknown action or a malformed payload, listing every problem', function () {
    expect(codeOf(() => proposalInput('dissolve', {}))).to.equal('INVALID_ARGUMENT');
    try {
      proposalInput('accredit', { certifier: 'Certifier1MSP', countries: 'DE,x' });
      expect.fail('accepted');
    } catch (error) {
      const problems = (error as { details: { problems: string[] } }).details.problems;
      expect(problems.some((p) => p.startsWith('payload.countries.1'))).to.equal(true);
      expect(problems.some((p) => p.startsWith('payload.validFrom'))).to.equal(true);
    }
  });

  it('answers a bad argument with exit code 2 and, with --json, the coded error, before touching a network', function () {
    const dataDir = scratchDir('kyc-gov-data-');
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, '-f', path.join(REPO_ROOT, 'network.yaml'), '--data-dir', dataDir, '--json', 'governance', ...args], { encoding: 'utf8' });
    for (const args of [['propose', 'dissolve', '--org', 'bank1'], ['approve', 'xyz', '--org', 'bank1'], ['show', 'xyz'], ['propose', 'deaccredit', '--org', 'bank9', '--certifier', 'Certifier1MSP']]) {
      const result = run(...args);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).to.equal(2);
      expect(JSON.parse(result.stdout)).to.have.nested.property('error.code', 'INVALID_ARGUMENT');
    }
    // addMember's display name is its own flag: the global --name (the network's name) would swallow it.
    const noName = run('propose', 'addMember', '--org', 'bank9', '--msp-id', 'Bank3MSP', '--roles', 'bank');
    expect((JSON.parse(noName.stdout).error.details.problems as string[]).some((p) => p.startsWith('payload.name'))).to.equal(true);
    const named = run('propose', 'addMember', '--org', 'bank9', '--msp-id', 'Bank3MSP', '--display-name', 'Bank Three', '--roles', 'bank');
    expect(named.status).to.equal(2);
    const namedError = JSON.stringify(JSON.parse(named.stdout).error);
    expect(namedError).to.not.contain('payload.name');
    expect(namedError).to.contain('bank9');
    const down = run('members');
    expect(down.status).to.equal(1);
    expect(JSON.parse(down.stdout)).to.have.nested.property('error.code', 'NOT_RUNNING');
  });
});
