import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { GatewayConfigError, hashApiKey, loadGatewayConfig, parseGatewayConfig } from '@kyc-ledger/gateway';

const fixtureDirs: string[] = [];

/** A directory with cryptogen-like identity files and a config file referring to them relatively. */
function fixture(doc: Record<string, unknown> = baseDoc()): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-gw-config-'));
  fixtureDirs.push(dir);
  mkdirSync(path.join(dir, 'msp', 'signcerts'), { recursive: true });
  mkdirSync(path.join(dir, 'msp', 'keystore'), { recursive: true });
  writeFileSync(path.join(dir, 'msp', 'signcerts', 'User1-cert.pem'), 'cert');
  writeFileSync(path.join(dir, 'msp', 'keystore', 'priv_sk'), 'key');
  writeFileSync(path.join(dir, 'ca.pem'), 'ca');
  const file = path.join(dir, 'gateway.yaml');
  writeFileSync(file, stringify(doc));
  return { dir, file };
}

function baseDoc(): Record<string, unknown> {
  return {
    org: { name: 'certifier1', mspId: 'Certifier1MSP', role: 'certifier' },
    listen: { port: 7001 },
    peer: { endpoint: 'localhost:7110', hostNameOverride: 'peer0.certifier1.example.com', tlsCaPath: 'ca.pem' },
    identity: { certPath: 'msp/signcerts', keyPath: 'msp/keystore/priv_sk' },
    channel: 'kyc',
    chaincode: 'kyc',
    apiKeys: [{ id: 'ops', keyHash: hashApiKey('k'), role: 'certifier' }],
    publicBaseUrl: 'https://certifier1.example.com',
  };
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(GatewayConfigError);
    expect((error as GatewayConfigError).code).to.equal('INVALID_CONFIG');
    return [...(error as GatewayConfigError).problems];
  }
  throw new Error('expected a GatewayConfigError');
}

describe('gateway configuration', function () {
  after(function () {
    for (const dir of fixtureDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('reads YAML, fills defaults and resolves paths against the file (a one-file MSP folder names its file)', function () {
    const { dir, file } = fixture();
    const config = loadGatewayConfig({ file, env: {} });
    expect(config.listen).to.deep.equal({ host: '127.0.0.1', port: 7001 });
    expect(config.peer.tlsCaPath).to.equal(path.join(dir, 'ca.pem'));
    expect(config.identity).to.deep.equal({ certPath: path.join(dir, 'msp', 'signcerts', 'User1-cert.pem'), keyPath: path.join(dir, 'msp', 'keystore', 'priv_sk') });
    expect(config.cors).to.deep.equal({ enabled: false, origins: [] });
    expect(config.sessionTtlSeconds).to.equal(300);
    expect(config.timeouts.commitStatusMs).to.equal(60_000);
  });

  it('reads JSON too, and KYC_GATEWAY_* variables override the file', function () {
    const { dir } = fixture();
    const json = path.join(dir, 'gateway.json');
    writeFileSync(json, JSON.stringify(baseDoc()));
    const config = loadGatewayConfig({
      env: { KYC_GATEWAY_CONFIG: json, KYC_GATEWAY_PORT: '9000', KYC_GATEWAY_CORS_ENABLED: 'true', KYC_GATEWAY_CORS_ORIGINS: 'https://a.example, https://b.example' },
    });
    expect(config.listen.port).to.equal(9000);
    expect(config.cors).to.deep.equal({ enabled: true, origins: ['https://a.example', 'https://b.example'] });
  });

  it('can be configured from the environment alone', function () {
    const { dir } = fixture();
    const config = loadGatewayConfig({
      env: {
        KYC_GATEWAY_ORG_NAME: 'bank1', KYC_GATEWAY_MSP_ID: 'Bank1MSP', KYC_GATEWAY_ROLE: 'bank', KYC_GATEWAY_PORT: '0',
        KYC_GATEWAY_PEER_ENDPOINT: '127.0.0.1:7120', KYC_GATEWAY_PEER_TLS_CA: path.join(dir, 'ca.pem'),
        KYC_GATEWAY_CERT: path.join(dir, 'msp', 'signcerts'), KYC_GATEWAY_KEY: path.join(dir, 'msp', 'keystore'),
        KYC_GATEWAY_CHANNEL: 'kyc', KYC_GATEWAY_CHAINCODE: 'kyc', KYC_GATEWAY_PUBLIC_BASE_URL: 'http://localhost:7002',
        KYC_GATEWAY_API_KEYS: JSON.stringify([{ id: 'teller', keyHash: hashApiKey('t'), role: 'bank' }]),
      },
    });
    expect(config.org).to.deep.equal({ name: 'bank1', mspId: 'Bank1MSP', role: 'bank' });
    expect(config.identity.keyPath).to.equal(path.join(dir, 'msp', 'keystore', 'priv_sk'));
  });

  it('lists every problem at once', function () {
    const doc = baseDoc();
    const problems = problemsOf(() =>
      parseGatewayConfig({
        ...doc,
        org: { name: 'Certifier 1', mspId: 'Certifier1MSP', role: 'regulator' },
        listen: { port: 70000 },
        peer: { endpoint: 'localhost', tlsCaPath: '' },
        apiKeys: [{ id: 'ops', key: 'clear-text', role: 'certifier' }],
        publicBaseUrl: 'ftp://x',
        colour: 'blue',
      }),
    );
    expect(problems).to.have.members([
      'org.name: must be a lower-case org name such as certifier1',
      'org.role: Invalid option: expected one of "certifier"|"bank"|"issuer"',
      'listen.port: Too big: expected number to be <=65535',
      'peer.endpoint: must be host:port of the org\'s peer',
      'peer.tlsCaPath: must be a file path',
      'apiKeys.0.keyHash: is required (string)',
      'apiKeys.0: unknown key "key"',
      'publicBaseUrl: must be an http(s) URL',
      '(root): unknown key "colour"',
    ]);
  });

  it('refuses API keys of another role than the org\'s, duplicate keys, and CORS without origins', function () {
    const doc = baseDoc();
    const hash = hashApiKey('same');
    const problems = problemsOf(() =>
      parseGatewayConfig({
        ...doc,
        apiKeys: [
          { id: 'a', keyHash: hash, role: 'certifier' },
          { id: 'a', keyHash: hash, role: 'bank' },
        ],
        cors: { enabled: true },
      }),
    );
    expect(problems).to.deep.equal([
      'apiKeys.1.id: duplicate API key id a',
      'apiKeys.1.keyHash: duplicate key hash',
      "apiKeys.1.role: must be the org's role (certifier) or admin",
      'cors.origins: CORS is enabled but no origin is allowed',
    ]);
  });

  it('reports missing identity files, bad environment values and unreadable files', function () {
    const { dir, file } = fixture({ ...baseDoc(), identity: { certPath: 'nope.pem', keyPath: 'msp' } });
    expect(problemsOf(() => loadGatewayConfig({ file, env: {} }))).to.deep.equal([
      `identity.certPath: no such file ${path.join(dir, 'nope.pem')}`,
      `identity.keyPath: ${path.join(dir, 'msp')} is a directory with 2 files; name the file`,
    ]);
    expect(problemsOf(() => loadGatewayConfig({ file, env: { KYC_GATEWAY_PORT: 'eighty', KYC_GATEWAY_API_KEYS: '[oops' } }))).to.deep.equal([
      'KYC_GATEWAY_PORT: must be a whole number',
      'KYC_GATEWAY_API_KEYS: must be JSON',
    ]);
    const missing = path.join(dir, 'missing.yaml');
    expect(problemsOf(() => loadGatewayConfig({ file: missing, env: {} }))[0]).to.match(/^cannot read .*missing\.yaml/);
    writeFileSync(path.join(dir, 'list.yaml'), '- a\n- b\n');
    expect(problemsOf(() => loadGatewayConfig({ file: path.join(dir, 'list.yaml'), env: {} }))).to.deep.equal([`${path.join(dir, 'list.yaml')}: must hold a mapping at the top level`]);
  });

  it('takes an optional rpcAdapter: its CA resolved against the file and checked, its address and server name validated', function () {
    const { dir, file } = fixture({ ...baseDoc(), rpcAdapter: { address: '127.0.0.1:7000', serverCaPath: 'ca.pem', serverName: 'localhost' } });
    expect(loadGatewayConfig({ file, env: {} }).rpcAdapter).to.deep.equal({ address: '127.0.0.1:7000', serverCaPath: path.join(dir, 'ca.pem'), serverName: 'localhost' });
    expect(loadGatewayConfig({ file: fixture().file, env: {} }).rpcAdapter).to.equal(undefined);
    const missing = fixture({ ...baseDoc(), rpcAdapter: { address: '127.0.0.1:7000', serverCaPath: 'adapter-ca.pem' } });
    expect(problemsOf(() => loadGatewayConfig({ file: missing.file, env: {} }))).to.deep.equal([`rpcAdapter.serverCaPath: no such file ${path.join(missing.dir, 'adapter-ca.pem')}`]);
    const bad = fixture({ ...baseDoc(), rpcAdapter: { address: 'http://127.0.0.1:7000', serverCaPath: 'ca.pem', serverName: 'a b', port: 1 } });
    expect(problemsOf(() => loadGatewayConfig({ file: bad.file, env: {} })).join('\n')).to.match(/rpcAdapter\.address: must be host:port/).and.match(/rpcAdapter\.serverName: must be a DNS name/).and.match(/rpcAdapter.*port/);
  });

  it('has request limits with defaults, set from the file or KYC_GATEWAY_RATE_LIMIT_*, every bad one listed', function () {
    const defaults = parseGatewayConfig(baseDoc()).rateLimit;
    expect(defaults).to.deep.equal({ windowSeconds: 60, perKey: 60_000, perAddress: 120_000, anonymousPerAddress: 1_200, maxClients: 100_000, trustedProxyHops: 0 });
    const { file } = fixture({ ...baseDoc(), rateLimit: { perKey: 500, windowSeconds: 10 } });
    const config = loadGatewayConfig({ file, env: { KYC_GATEWAY_RATE_LIMIT_ANONYMOUS_PER_ADDRESS: '7', KYC_GATEWAY_TRUSTED_PROXY_HOPS: '1' } });
    expect(config.rateLimit).to.deep.equal({ ...defaults, perKey: 500, windowSeconds: 10, anonymousPerAddress: 7, trustedProxyHops: 1 });
    const problems = problemsOf(() => parseGatewayConfig({ ...baseDoc(), rateLimit: { windowSeconds: 0, perKey: -1, perAddress: 1.5, anonymousPerAddress: 'many', maxClients: 5, trustedProxyHops: 11, burst: 3 } }));
    for (const key of ['windowSeconds', 'perKey', 'perAddress', 'anonymousPerAddress', 'maxClients', 'trustedProxyHops']) {
      expect(problems.some((p) => p.startsWith(`rateLimit.${key}:`)), `${key} in ${problems.join('; ')}`).to.equal(true);
    }
    expect(problems.some((p) => p.includes('burst'))).to.equal(true);
  });
});
