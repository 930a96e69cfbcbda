import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { ConfigError, loadNetwork, networkJsonSchema, resolveNetwork } from '@kyc-ledger/network';
import { REPO_ROOT } from '../../support/testNetwork';

const defaultFile = path.join(REPO_ROOT, 'network.yaml');
const defaultDoc = () => parse(readFileSync(defaultFile, 'utf8')) as Record<string, unknown>;

function problemsOf(document: unknown): string[] {
  try {
    resolveNetwork(document, defaultFile);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('network.yaml', function () {
  it('describes the DESIGN.md consortium: 3 Raft orderers, certifier, two banks, issuer, one peer each', function () {
    const net = loadNetwork(defaultFile);
    expect(net.ordererOrg.consensus).to.equal('raft');
    expect(net.ordererOrg.nodes.map((n) => n.id)).to.deep.equal(['orderer0', 'orderer1', 'orderer2']);
    expect(net.orgs.map((o) => [o.name, o.role, o.peers.length])).to.deep.equal([
      ['certifier1', 'certifier', 1], ['bank1', 'bank', 1], ['bank2', 'bank', 1], ['issuer1', 'issuer', 1],
    ]);
    expect(net.channel.members).to.deep.equal(['certifier1', 'bank1', 'bank2', 'issuer1']);
    expect(net.chaincode.endorsementPolicy).to.equal('MAJORITY');
  });

  it('derives every port from ports.base, so --port-base moves the whole network', function () {
    const a = loadNetwork(defaultFile);
    const b = loadNetwork(defaultFile, { portBase: 17000, name: 'other', dataDir: '/tmp/other' });
    expect(a.ordererOrg.nodes[0]).to.include({ port: 7050, adminPort: 7051, operationsPort: 7052 });
    expect(a.orgs[1]?.peers[0]).to.include({ port: 7110, chaincodePort: 7111, operationsPort: 7112 });
    expect(b.ordererOrg.nodes[0]).to.include({ port: 17050 });
    expect(b.orgs[1]?.peers[0]).to.include({ port: 17110 });
    expect(b).to.include({ name: 'other', dataDir: '/tmp/other' });
  });

  it('defaults bft to 4 orderers and refuses fewer', function () {
    const doc = defaultDoc();
    const bft = resolveNetwork({ ...doc, ordererOrg: { name: 'orderer', mspId: 'OrdererMSP', consensus: 'bft' } }, defaultFile);
    expect(bft.ordererOrg.nodes).to.have.length(4);
    const problems = problemsOf({ ...doc, ordererOrg: { name: 'orderer', mspId: 'OrdererMSP', consensus: 'bft', nodes: [{ name: 'o1' }, { name: 'o2' }, { name: 'o3' }] } });
    expect(problems).to.deep.equal(['ordererOrg.nodes: bft needs at least 4 orderers (has 3)']);
  });

  it('lists every problem of a bad file at once: unknown role, duplicate port, missing org', function () {
    const doc = defaultDoc();
    const orgs = doc.orgs as Record<string, unknown>[];
    const bad = {
      ...doc,
      orgs: [
        orgs[0],
        { ...orgs[1], peers: [{ name: 'peer0', port: 7110, operationsPort: 7110 }] },
        { ...orgs[2], role: 'regulator' },
        ...orgs.slice(3),
      ],
      channel: { name: 'kyc', members: ['certifier1', 'bank1', 'bank3'] },
    };
    const problems = problemsOf(bad);
    expect(problems).to.have.length(3);
    expect(problems[0]).to.match(/^orgs\[2\]\.role: .*certifier.*bank.*issuer/);
    expect(problems[1]).to.equal('port 7110 on 127.0.0.1 is used more than once: peer0.bank1.port, peer0.bank1.operationsPort');
    expect(problems[2]).to.match(/^channel\.members\[2\]: unknown org "bank3"/);
  });

  it('rejects endorsement policies one organisation could satisfy alone, and single-member channels', function () {
    const doc = defaultDoc();
    const chaincode = doc.chaincode as Record<string, unknown>;
    expect(problemsOf({ ...doc, chaincode: { ...chaincode, endorsementPolicy: "OutOf(1, 'Bank1MSP.peer', 'Bank2MSP.peer')" } })[0]).to.match(/single organisation/);
    expect(problemsOf({ ...doc, chaincode: { ...chaincode, endorsementPolicy: 'ANY' } })[0]).to.match(/neither MAJORITY, ALL nor OutOf/);
    expect(problemsOf({ ...doc, channel: { name: 'kyc', members: ['bank1'] } })).to.deep.equal([
      'channel.members: at least two member orgs are needed so that no single org can endorse alone',
    ]);
    expect(() => resolveNetwork({ ...doc, chaincode: { ...chaincode, endorsementPolicy: "OutOf(2, 'Bank1MSP.peer', 'Bank2MSP.peer')" } }, defaultFile)).to.not.throw();
  });

  it('accepts an accreditation only on certifier orgs, with a valid period', function () {
    const doc = defaultDoc();
    const orgs = doc.orgs as Record<string, unknown>[];
    const accreditation = (orgs[0] as { accreditation: Record<string, unknown> }).accreditation;
    const problems = problemsOf({ ...doc, orgs: [{ ...orgs[0], accreditation: { ...accreditation, validUntil: '2020-01-01T00:00:00Z' } }, { ...orgs[1], accreditation }, ...orgs.slice(2)] });
    expect(problems).to.deep.equal([
      'orgs[0].accreditation: validFrom must be before validUntil',
      'orgs[1].accreditation: only certifier orgs are accredited (bank1 is a bank)',
    ]);
  });

  it('reports duplicate names and MSP IDs and unknown keys', function () {
    const doc = defaultDoc();
    const orgs = doc.orgs as Record<string, unknown>[];
    const problems = problemsOf({ ...doc, colour: 'blue', orgs: [...orgs, { ...orgs[0] }] });
    expect(problems).to.include.members([
      'orgs: org name "certifier1" is used more than once',
      'mspId "Certifier1MSP" is used by more than one org',
      'domain "certifier1.kyc-ledger.local" is used by more than one org',
    ]);
    expect(problems.some((p) => p.includes('colour'))).to.equal(true);
  });

  it('fails on a missing file and on YAML that does not parse', function () {
    expect(() => loadNetwork('/nonexistent/network.yaml')).to.throw().with.property('code', 'CONFIG_NOT_FOUND');
    const dir = mkdtempSync(path.join(tmpdir(), 'kyc-yaml-'));
    writeFileSync(path.join(dir, 'network.yaml'), 'name: [unclosed\n');
    expect(() => loadNetwork(path.join(dir, 'network.yaml'))).to.throw(ConfigError, /not valid YAML/);
  });

  it('keeps network/network.schema.json (for editors) in step with the validator', function () {
    const committed = JSON.parse(readFileSync(path.join(REPO_ROOT, 'network', 'network.schema.json'), 'utf8')) as unknown;
    expect(committed).to.deep.equal(networkJsonSchema());
  });
});
