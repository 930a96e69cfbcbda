import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadRpcAdapterConfig } from '@kyc-ledger/rpc-adapter';

describe('rpc-adapter configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kyc-rpc-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function problemsOf(yaml: string): string[] {
    writeFileSync(path.join(dir, 'adapter.yaml'), yaml);
    try {
      loadRpcAdapterConfig(path.join(dir, 'adapter.yaml'));
    } catch (error) {
      expect((error as { code?: string }).code).to.equal('INVALID_CONFIG');
      return (error as { details: { problems: string[] } }).details.problems;
    }
    throw new Error('expected the configuration to be refused');
  }

  it('lists every problem at once', () => {
    const problems = problemsOf('listen: { port: 0 }\ntls: { certFile: a.pem }\norgs: []\nextra: 1\n');
    expect(problems.map((p) => p.split(':')[0])).to.deep.equal(['listen.port', 'dataDir', 'tls.keyFile', 'orgs', 'tokenSecretFile', '(root)']);
  });

  it('names files it cannot read, a short token secret, a duplicated org', () => {
    writeFileSync(path.join(dir, 'secret'), 'short');
    const problems = problemsOf(
      'listen: { port: 54003 }\ndataDir: data\ntls: { certFile: c.pem, keyFile: k.pem }\ntokenSecretFile: secret\n' +
        'orgs: [{ mspId: Org1MSP, caCertFiles: [ca.pem] }, { mspId: Org1MSP, caCertFiles: [ca.pem] }]\n',
    );
    expect(problems.filter((p) => p.includes('cannot read')).map((p) => p.split(':')[0])).to.deep.equal([
      'tls.certFile',
      'tls.keyFile',
      'orgs.0.caCertFiles.0',
      'orgs.1.caCertFiles.0',
    ]);
    expect(problems).to.include('orgs: Org1MSP is listed twice');
  });

  it('resolves paths against the file’s folder and applies defaults', () => {
    for (const f of ['c.pem', 'k.pem', 'ca.pem']) writeFileSync(path.join(dir, f), 'x');
    writeFileSync(path.join(dir, 'secret'), 'x'.repeat(32));
    writeFileSync(
      path.join(dir, 'adapter.yaml'),
      'listen: { port: 54003 }\ndataDir: data\ntls: { certFile: c.pem, keyFile: k.pem }\ntokenSecretFile: secret\norgs: [{ mspId: Org1MSP, caCertFiles: [ca.pem] }]\n',
    );
    const config = loadRpcAdapterConfig(path.join(dir, 'adapter.yaml'));
    expect(config.dataDir).to.equal(path.join(dir, 'data'));
    expect(config.orgs[0]!.caCertFiles).to.deep.equal([path.join(dir, 'ca.pem')]);
    expect(config.listen.host).to.equal('127.0.0.1');
    expect(config.heartbeatMs).to.equal(15_000);
  });
});

describe('rpc-adapter configuration: ledger and sync sections', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kyc-rpc-config-'));
    for (const f of ['c.pem', 'k.pem', 'ca.pem']) writeFileSync(path.join(dir, f), 'x');
    writeFileSync(path.join(dir, 'secret'), 'x'.repeat(32));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const base = 'listen: { port: 54003 }\ndataDir: data\ntls: { certFile: c.pem, keyFile: k.pem }\ntokenSecretFile: secret\norgs: [{ mspId: Org1MSP, caCertFiles: [ca.pem] }]\n';

  it('lists every problem of both sections', () => {
    writeFileSync(path.join(dir, 'short'), 'x');
    writeFileSync(
      path.join(dir, 'adapter.yaml'),
      base +
        'ledger: { mspId: Org9MSP, channel: ch, chaincode: cc, peer: { endpoint: "localhost:7051", tlsCaPath: nope.pem }, identity: { certPath: c.pem, keyPath: k.pem } }\n' +
        'sync: { masterSecretFile: short, autoLink: [{ org: Org2MSP, chain: { chainId: 1337, rpcUrl: "ftp://x" } }] }\n',
    );
    let problems: string[] = [];
    try {
      loadRpcAdapterConfig(path.join(dir, 'adapter.yaml'));
    } catch (error) {
      problems = (error as { details: { problems: string[] } }).details.problems;
    }
    expect(problems.map((p) => p.split(':')[0])).to.deep.equal(['sync.autoLink.0.chain.rpcUrl']);
    writeFileSync(
      path.join(dir, 'adapter.yaml'),
      base +
        'ledger: { mspId: Org9MSP, channel: ch, chaincode: cc, peer: { endpoint: "localhost:7051", tlsCaPath: nope.pem }, identity: { certPath: c.pem, keyPath: k.pem } }\n' +
        'sync: { masterSecretFile: short, autoLink: [{ org: Org2MSP, chain: { chainId: 1337, rpcUrl: "http://127.0.0.1:8545" } }] }\n',
    );
    try {
      loadRpcAdapterConfig(path.join(dir, 'adapter.yaml'));
      throw new Error('expected a refusal');
    } catch (error) {
      problems = (error as { details: { problems: string[] } }).details.problems;
    }
    expect(problems.map((p) => p.split(':')[0])).to.deep.equal(['ledger.peer.tlsCaPath', 'ledger.mspId', 'sync.autoLink.0.org']);
  });

  it('resolves the sections\' paths and defaults; the identity may be a folder holding one file', () => {
    mkdirSync(path.join(dir, 'signcerts'));
    writeFileSync(path.join(dir, 'signcerts', 'cert.pem'), 'x');
    writeFileSync(
      path.join(dir, 'adapter.yaml'),
      base +
        'ledger: { mspId: Org1MSP, channel: ch, chaincode: cc, peer: { endpoint: "localhost:7051", tlsCaPath: ca.pem }, identity: { certPath: signcerts, keyPath: k.pem } }\n' +
        'sync: { masterSecretFile: secret, autoLink: [{ org: Org1MSP, chain: { chainId: 1337, rpcUrl: "http://127.0.0.1:8545" } }] }\n',
    );
    const config = loadRpcAdapterConfig(path.join(dir, 'adapter.yaml'));
    expect(config.ledger?.peer.tlsCaPath).to.equal(path.join(dir, 'ca.pem'));
    expect(config.sync?.masterSecretFile).to.equal(path.join(dir, 'secret'));
    expect(config.sync?.autoLink[0]).to.deep.equal({ org: 'Org1MSP', chain: { chainId: 1337, rpcUrl: 'http://127.0.0.1:8545', confirmations: 1 }, fundFromDevAccount: false });
  });
});
