import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { DEFAULT_RATE_LIMIT, createGatewayLogger, hashApiKey, instanceConfig, startGateway, type GatewayConfig } from '@kyc-ledger/gateway';
import { FakeLedgerClient } from './fakeLedgerClient';

const CLI = path.resolve(__dirname, '../../../../gateway/dist/cli.js');

function run(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Identity files good enough to start (nothing here talks to a real peer). */
function identityDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-gw-cli-'));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(path.join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(path.join(dir, 'cert.pem'), '-----BEGIN CERTIFICATE-----\nnot a real certificate\n-----END CERTIFICATE-----\n');
  writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nnot a real CA\n-----END CERTIFICATE-----\n');
  return dir;
}

function config(dir: string): GatewayConfig {
  return {
    org: { name: 'certifier1', mspId: 'Certifier1MSP', role: 'certifier' },
    listen: { host: '127.0.0.1', port: 0 },
    // Port 1 on loopback: nothing listens, so the ledger is unreachable.
    peer: { endpoint: '127.0.0.1:1', tlsCaPath: path.join(dir, 'ca.pem') },
    identity: { certPath: path.join(dir, 'cert.pem'), keyPath: path.join(dir, 'key.pem') },
    consortium: 'kyc-ledger',
    channel: 'kyc',
    chaincode: 'kyc',
    apiKeys: [{ id: 'ops', keyHash: hashApiKey('k'), role: 'certifier' }],
    publicBaseUrl: 'http://127.0.0.1',
    sessionTtlSeconds: 300,
    cors: { enabled: false, origins: [] },
    rateLimit: DEFAULT_RATE_LIMIT,
    logLevel: 'silent',
    instances: 1,
    nodes: [],
    timeouts: { evaluateMs: 1000, endorseMs: 1000, submitMs: 1000, commitStatusMs: 1000, nodeProbeMs: 1000 },
  };
}

describe('kyc-gateway CLI and startGateway', function () {
  const dirs: string[] = [];
  after(function () {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('new-key prints a key and its hash; hash-key hashes a key from stdin', function () {
    const created = run(['new-key']);
    expect(created.status).to.equal(0);
    const { key, keyHash } = JSON.parse(created.stdout) as { key: string; keyHash: string };
    expect(key).to.match(/^kyc_[A-Za-z0-9_-]{43}$/);
    expect(keyHash).to.equal(createHash('sha256').update(key).digest('hex'));
    const hashed = run(['hash-key'], `${key}\n`);
    expect(hashed.stdout.trim()).to.equal(keyHash);
  });

  it('start exits 2 listing every problem of a bad configuration', function () {
    const dir = identityDir();
    dirs.push(dir);
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, stringify({ ...config(dir), org: { name: 'X', mspId: 'XMSP', role: 'bank' }, listen: { port: -1 }, publicBaseUrl: undefined }));
    const result = run(['start', '--config', file]);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('org.name: must be a lower-case org name');
    expect(result.stderr).to.contain('listen.port: Too small');
    expect(result.stderr).to.contain('publicBaseUrl:');
    expect(result.stderr).to.contain("apiKeys.0.role: must be the org's role (bank)");
  });

  it('start serves /livez at once and answers /readyz 503 while the peer is unreachable; SIGTERM stops it', async function () {
    this.timeout(30_000);
    const dir = identityDir();
    dirs.push(dir);
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, stringify(config(dir)));
    const child = spawn(process.execPath, [CLI, 'start', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(stderr);
          if (match) resolve(match[1] as string);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      expect((await fetch(`${url}/livez`)).status).to.equal(200);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).to.equal(503);
      expect(ready.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(((await ready.json()) as { code: string }).code).to.equal('UPSTREAM_UNAVAILABLE');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('start --instances 2 runs two processes on one port; SIGTERM stops them all', async function () {
    this.timeout(30_000);
    const dir = identityDir();
    dirs.push(dir);
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, stringify({ ...config(dir), dataDir: path.join(dir, 'data') }));
    const child = spawn(process.execPath, [CLI, 'start', '--config', file, '--instances', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const urls = await new Promise<string[]>((resolve, reject) => {
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const found = [...stderr.matchAll(/instance (\d) listening on (http:\/\/\S+)/g)];
          if (found.length === 2) resolve(found.sort((a, b) => Number(a[1]) - Number(b[1])).map((m) => m[2] as string));
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      expect(urls[0]).to.equal(urls[1]);
      expect((await fetch(`${urls[0]}/livez`)).status).to.equal(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      // The workers are gone with their primary: nothing answers on the port any more.
      await fetch(`${urls[0]}/livez`).then(() => expect.fail('an instance still answers'), () => undefined);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('stops with exit code 1 when an instance keeps dying (here: its port is taken), instead of restarting it for ever', async function () {
    this.timeout(60_000);
    const dir = identityDir();
    dirs.push(dir);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, stringify({ ...config(dir), listen: { host: '127.0.0.1', port }, dataDir: path.join(dir, 'data') }));
    const child = spawn(process.execPath, [CLI, 'start', '--config', file, '--instances', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, stderr).to.equal(1);
      expect(stderr).to.match(/exited \(\d+\) 5 times within 60 s; stopping the gateway/);
      expect(stderr).to.contain('starting it again in 2 s');
    } finally {
      child.kill('SIGKILL');
      blocker.close();
    }
  });

  it('instances on one machine answer each other\'s verdict questions through the primary', function () {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'support', 'siblingVerdictsCluster.js')], { encoding: 'utf8', timeout: 20_000 });
    const result = JSON.parse(out.trim().split('\n').pop() as string) as { held: { fields?: Record<string, string> } | null; unknown: unknown; refused: { refusedAt?: string } | null };
    expect(result.held?.fields).to.deep.equal({ familyName: 'Doe' });
    expect(result.unknown).to.equal(null);
    // A refusal travels the same way (the counter may follow the session at another instance).
    expect(result.refused?.refusedAt).to.equal('2026-01-01T00:00:01.000Z');
  });

  it('gives each instance its own store directory under dataDir (LevelDB opens in one process only)', function () {
    const base = { ...config('/tmp/x'), dataDir: '/srv/gw' };
    expect(instanceConfig(base, 0).dataDir).to.equal(path.join('/srv/gw', 'instance-0'));
    expect(instanceConfig(base, 1).dataDir).to.equal(path.join('/srv/gw', 'instance-1'));
    expect(instanceConfig(base, undefined)).to.equal(base);
  });

  it('refuses --instances that is not an integer from 1 to 64 (exit 2)', function () {
    const dir = identityDir();
    dirs.push(dir);
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, stringify(config(dir)));
    const result = run(['start', '--config', file, '--instances', '0']);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('--instances must be an integer from 1 to 64');
  });

  it('answers HTTP the parser rejects (oversize headers, garbage) with problem+json', async function () {
    const dir = identityDir();
    dirs.push(dir);
    const gateway = await startGateway(config(dir), { ledger: new FakeLedgerClient(), logger: createGatewayLogger({ level: 'silent' }) });
    try {
      const { port } = new URL(gateway.url);
      const raw = (text: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(text));
          let answer = '';
          socket.on('data', (d: Buffer) => (answer += d.toString()));
          socket.on('end', () => resolve(answer));
          socket.on('error', reject);
        });
      const big = await raw(`GET /livez HTTP/1.1\r\nhost: x\r\nx-filler: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(big).to.match(/^HTTP\/1\.1 431 /);
      expect(big).to.contain('content-type: application/problem+json');
      expect(big).to.contain('"code":"HEADERS_TOO_LARGE"');
      // A response to HEAD never has a body, not even a problem.
      const head = await raw(`HEAD /livez HTTP/1.1\r\nhost: x\r\nx-filler: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(head).to.match(/^HTTP\/1\.1 431 /);
      expect(head).to.match(/\r\ncontent-length: 0\r\n/);
      expect(head.endsWith('\r\n\r\n'), head).to.equal(true);
      expect(head).not.to.contain('HEADERS_TOO_LARGE');
      const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
      expect(garbage).to.match(/^HTTP\/1\.1 400 /);
      expect(garbage).to.contain('"code":"INVALID_ARGUMENT"');
      expect((await fetch(`${gateway.url}/livez`)).status).to.equal(200);
    } finally {
      await gateway.close();
    }
  });
});
