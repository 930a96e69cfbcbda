import { expect } from 'chai';
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { checkWalletSubmission, createBankSession, encodeSessionUri, verifyDisclosure, verifyStatementSignature, type BankSession } from '@kyc-ledger/crypto';
import { createTestBank, issueTestIdentity, type TestIdentity } from '../../support/bankPki';
import type { FakeLedgerClient } from '../gateway/fakeLedgerClient';
import { newTestApp } from '../gateway/testApp';
import { NETWORK, PERSON, tempDir } from './walletFixtures';

/** wallet/dist/cli.js, found from the compiled test location test/dist/unit/wallet. */
const CLI = path.resolve(__dirname, '..', '..', '..', '..', 'wallet', 'dist', 'cli.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
  if (!('KYC_WALLET_PASSPHRASE' in extra)) delete env.KYC_WALLET_PASSPHRASE;
  if (!('KYC_WALLET' in extra)) delete env.KYC_WALLET;
  return env;
}

function parse(stdout: string): Record<string, unknown> {
  try {
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return {};
  }
}

describe('wallet: kyc-wallet CLI', function () {
  this.timeout(120_000);
  let dir: string;
  let bank: { ca: TestIdentity; user: TestIdentity };
  let caFile: string;

  function run(args: string[], extraEnv: Record<string, string> = {}, input?: string): Run {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: cliEnv(dir, extraEnv), cwd: dir, ...(input !== undefined && { input }) });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: parse(r.stdout) };
  }

  /** For a server in this process: the CLI must run asynchronously. */
  function runAsync(args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', env: cliEnv(dir), cwd: dir }, (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ status, stdout, stderr, json: parse(stdout) });
      });
    });
  }

  /** Runs and expects success; returns the parsed --json output. */
  function ok(args: string[], extraEnv: Record<string, string> = {}): Record<string, unknown> {
    const r = run([...args, '--json'], extraEnv);
    expect(r.status, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).to.equal(0);
    return r.json;
  }

  function expectError(r: Run, exitCode: number, code: string): void {
    expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(exitCode);
    expect((r.json.error as { code?: string } | undefined)?.code, r.stdout).to.equal(code);
    expect((r.json.error as { message?: string }).message).to.be.a('string').and.not.equal('');
  }

  before(() => {
    bank = createTestBank('bank1.example.com');
  });
  beforeEach(() => {
    dir = tempDir();
    caFile = path.join(dir, 'bank1-ca.pem');
    writeFileSync(caFile, bank.ca.certificatePem);
    writeFileSync(path.join(dir, 'person.json'), JSON.stringify(PERSON));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function newSession(overrides: Partial<Parameters<typeof createBankSession>[0]> = {}): BankSession {
    return createBankSession(
      { network: NETWORK, bank: { mspId: 'Bank1MSP', name: 'Bank One' }, fields: ['givenName', 'nationality'], ttlSeconds: 600, submitUrl: 'https://bank1.example.com/submit', ...overrides },
      { ...bank.user, now: new Date() },
    );
  }

  /** Key, commitment, request and attachment in a plaintext test wallet. */
  function prepared(): { w: string[]; accountId: string; root: string; attestationId: string } {
    const w = ['--wallet', path.join(dir, 'w.json'), '--insecure-plaintext'];
    const key = ok(['keys', 'generate', '--kind', 'ed25519', '--label', 'me', ...w]);
    const committed = ok(['commit', '--fields', path.join(dir, 'person.json'), '--label', 'id', ...w]);
    const requested = ok(['request', '--key', 'me', '--certifier', 'Certifier1MSP', '--topics', 'identity,address', '--network', NETWORK, '--commitment', 'id', ...w]);
    const attestationId = requested.attestationId as string;
    ok(['attach', '--commitment', 'id', '--attestation', attestationId, ...w]);
    return { w, accountId: key.accountId as string, root: committed.root as string, attestationId };
  }

  it('runs the certification side: keys generate/list, commit, request, attach', () => {
    const { w, accountId, root, attestationId } = prepared();
    expect(accountId).to.match(/^solana:/);
    const list = ok(['keys', 'list', ...w]);
    expect((list.keys as { label: string }[]).map((k) => k.label)).to.deep.equal(['me']);
    const commitments = ok(['commitments', 'list', ...w]).commitments as { label: string; root: string; attestation?: { id: string } }[];
    expect(commitments[0]).to.deep.include({ label: 'id', root });
    expect(commitments[0]?.attestation?.id).to.equal(attestationId);

    const again = ok(['request', '--key', accountId, '--certifier', 'Certifier1MSP', '--topics', 'identity', '--network', NETWORK, '--commitment', 'id', ...w]);
    const request = again.request as { subject: string; commitmentRoot: string; fieldNames: string[]; claimTopics: string[]; subjectSignature: unknown };
    expect(request).to.include({ subject: accountId, commitmentRoot: root });
    expect(request.fieldNames).to.deep.equal(Object.keys(PERSON).sort());
    expect(verifyStatementSignature(again.statement, request.subjectSignature, { network: NETWORK, purpose: 'attestation-request' }).ok).to.equal(true);
  });

  it('shows a session and consents to it (JSON submission that the bank side accepts)', () => {
    const { w, accountId, root } = prepared();
    const session = newSession();
    const uri = encodeSessionUri(session);
    const shown = ok(['session', 'show', uri, '--trust', `Bank1MSP=${caFile}`]);
    expect(shown).to.deep.include({ sessionId: session.sessionId, bank: { mspId: 'Bank1MSP', name: 'Bank One' }, fields: ['givenName', 'nationality'] });

    const human = run(['session', 'show', uri, '--trust', `Bank1MSP=${caFile}`]);
    expect(human.status).to.equal(0);
    expect(human.stdout).to.contain('Bank One (Bank1MSP) asks you to share:').and.contain('  - nationality');

    const consent = ok(['consent', uri, '--commitment', 'id', '--trust', `Bank1MSP=${caFile}`, ...w]);
    const submission = consent.submission;
    const check = checkWalletSubmission(submission, session, { now: new Date() });
    expect(check.ok, JSON.stringify(check)).to.equal(true);
    if (check.ok) {
      expect(check.signer).to.equal(accountId);
      expect(verifyDisclosure(root, check.submission.disclosure, session.fields)).to.deep.equal({ ok: true, values: { givenName: 'Anna', nationality: 'CH' } });
    }
    // Without --json the submission JSON alone is on stdout (the summary goes to stderr).
    const plain = run(['consent', '-', '--commitment', 'id', '--trust', `Bank1MSP=${caFile}`, ...w], {}, uri);
    expect(plain.status, plain.stderr).to.equal(0);
    expect(checkWalletSubmission(JSON.parse(plain.stdout), session, { now: new Date() }).ok).to.equal(true);
    expect(plain.stderr).to.contain('Bank One (Bank1MSP)');
  });

  it('refuses untrusted, tampered and garbled sessions with exit code 1 and the coded reason', () => {
    const { w } = prepared();
    const session = newSession();
    expectError(run(['session', 'show', encodeSessionUri(session), '--trust', `Bank2MSP=${caFile}`, '--json']), 1, 'SESSION_SIGNER_UNTRUSTED');
    const tampered = encodeSessionUri({ ...session, fields: ['birthDate', 'givenName', 'nationality'] });
    expectError(run(['session', 'show', tampered, '--trust', `Bank1MSP=${caFile}`, '--json']), 1, 'SESSION_SIGNATURE_INVALID');
    expectError(run(['session', 'show', 'kycledger://session?d=!!', '--gateway', 'http://127.0.0.1:9', '--json']), 1, 'SESSION_URI_INVALID');
    expectError(run(['consent', tampered, '--commitment', 'id', '--trust', `Bank1MSP=${caFile}`, '--json', ...w]), 1, 'SESSION_SIGNATURE_INVALID');
    const human = run(['session', 'show', encodeSessionUri(session), '--trust', `Bank2MSP=${caFile}`]);
    expect(human.status).to.equal(1);
    expect(human.stdout).to.equal('');
    expect(human.stderr).to.match(/^kyc-wallet: error SESSION_SIGNER_UNTRUSTED: /);
  });

  it('reports usage errors with exit code 2 and a coded JSON error', () => {
    expectError(run(['keys', 'generate', '--json', '--wallet', path.join(dir, 'w.json'), '--insecure-plaintext']), 2, 'USAGE');
    expectError(run(['keys', 'generate', '--kind', 'rsa', '--json', '--insecure-plaintext']), 2, 'USAGE');
    expectError(run(['frobnicate', '--json']), 2, 'USAGE');
    expectError(run(['session', 'show', 'x', '--trust', 'no-equals-sign', '--json']), 2, 'INVALID_ARGUMENT');
    // Neither the published certificate (through a gateway) nor a --trust override: nothing to check the bank with.
    expectError(run(['session', 'show', encodeSessionUri(newSession()), '--json']), 2, 'INVALID_ARGUMENT');
    expectError(run(['commit', '--fields', path.join(dir, 'missing.json'), '--json', '--insecure-plaintext', '--wallet', path.join(dir, 'w.json')]), 2, 'INVALID_ARGUMENT');
    expectError(run(['keys', 'list', '--wallet', path.join(dir, 'none.json'), '--json']), 1, 'WALLET_NOT_FOUND');
  });

  it('uses the passphrase from --passphrase-file or KYC_WALLET_PASSPHRASE for an encrypted wallet', () => {
    const wallet = path.join(dir, 'enc.json');
    const passFile = path.join(dir, 'pass.txt');
    writeFileSync(passFile, 'a long enough passphrase\n');
    const key = ok(['keys', 'generate', '--kind', 'p256', '--label', 'officer', '--wallet', wallet, '--passphrase-file', passFile]);
    // Listing needs no passphrase; signing does.
    expect((ok(['keys', 'list', '--wallet', wallet]).keys as unknown[]).length).to.equal(1);
    const args = ['sign-digest', '--key', 'officer', '--purpose', 'officer-approval', '--asset', 'BOND-2030', '--digest', 'cd'.repeat(32), '--network', NETWORK, '--wallet', wallet];
    expectError(run([...args, '--json']), 2, 'PASSPHRASE_REQUIRED');
    expectError(run([...args, '--json'], { KYC_WALLET_PASSPHRASE: 'wrong passphrase' }), 1, 'BAD_PASSPHRASE');
    const signed = ok(args, { KYC_WALLET_PASSPHRASE: 'a long enough passphrase' });
    expect(signed.statement).to.include({ purpose: 'officer-approval', address: key.accountId, registrationDigest: 'cd'.repeat(32) });
    expect(verifyStatementSignature(signed.statement, signed.signature, { network: NETWORK, purpose: 'officer-approval' }).ok).to.equal(true);
    expectError(run(['sign-digest', '--key', 'officer', '--purpose', 'consent', '--asset', 'A', '--digest', 'cd'.repeat(32), '--network', NETWORK, '--wallet', wallet, '--json']), 2, 'USAGE');
    // KYC_WALLET selects the file.
    expect((ok(['keys', 'list'], { KYC_WALLET: wallet }).keys as unknown[]).length).to.equal(1);
  });

  it('imports a key from stdin, never from the command line', () => {
    const w = ['--wallet', path.join(dir, 'w.json'), '--insecure-plaintext'];
    const r = run(['keys', 'import', '--kind', 'secp256k1', '--private-key-stdin', '--label', 'known', '--json', ...w], {}, '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318\n');
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    expect(r.json.accountId).to.equal('eip155:1:0x2c7536E3605D9C16a7a3D7b1898e529396a65c23');
    expectError(run(['keys', 'import', '--kind', 'secp256k1', '--json', ...w]), 2, 'INVALID_ARGUMENT');
    expectError(run(['keys', 'import', '--kind', 'secp256k1', '--private-key-stdin', '--json', ...w], {}, 'zz'), 1, 'INVALID_PRIVATE_KEY');
  });

  describe('consent --submit', () => {
    let server: Server;
    let port: number;
    let bodies: unknown[];

    before(async () => {
      bodies = [];
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          const status = req.url === '/used' ? 409 : 200;
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { result: 'verified' } : { code: 'SESSION_ALREADY_USED' }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    it('POSTs the submission and prints the status and body; a 409 is SUBMIT_REJECTED', async () => {
      const { w } = prepared();
      const uri = encodeSessionUri(newSession({ submitUrl: `http://127.0.0.1:${port}/submit` }));
      const r = await runAsync(['consent', uri, '--commitment', 'id', '--trust', `Bank1MSP=${caFile}`, '--submit', '--json', ...w]);
      expect(r.status, r.stdout + r.stderr).to.equal(0);
      expect(r.json.response).to.deep.include({ status: 200, body: { result: 'verified' } });
      expect(bodies.at(-1)).to.deep.equal(r.json.submission);

      const used = encodeSessionUri(newSession({ submitUrl: `http://127.0.0.1:${port}/used` }));
      const rejected = await runAsync(['consent', used, '--commitment', 'id', '--trust', `Bank1MSP=${caFile}`, '--submit', '--json', ...w]);
      expectError(rejected, 1, 'SUBMIT_REJECTED');
      expect((rejected.json.error as { details: unknown }).details).to.deep.equal({ status: 409, body: { code: 'SESSION_ALREADY_USED' } });
    });
  });

  describe('the bank checked from its published certificate (no --trust)', () => {
    let server: Server;
    let gatewayUrl: string;
    let ledger: FakeLedgerClient;
    let pins: string;

    const published = (signer: TestIdentity, ca: TestIdentity) => ({
      mspId: 'Bank1MSP',
      chain: signer.certificatePem + ca.certificatePem,
      fingerprint256: new X509Certificate(signer.certificatePem).fingerprint256,
      caFingerprint256: new X509Certificate(ca.certificatePem).fingerprint256,
      validTo: new X509Certificate(signer.certificatePem).validTo,
      publishedAt: new Date().toISOString(),
      txId: 'a'.repeat(64),
    });
    const signedBy = (signer: TestIdentity, mspId = 'Bank1MSP') =>
      encodeSessionUri(createBankSession(
        { network: NETWORK, bank: { mspId, name: 'Bank One' }, fields: ['givenName'], ttlSeconds: 600, submitUrl: 'https://bank1.example.com/submit' },
        { ...signer, now: new Date() },
      ));

    before(async () => {
      // Any member's gateway serves the registry's record; here an issuer's, over a fake ledger.
      const testApp = newTestApp('issuer');
      ledger = testApp.ledger;
      server = createServer(testApp.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
      ledger.sessionCertificates.set('Bank1MSP', published(bank.user, bank.ca));
      pins = path.join(dir, 'pins.json');
    });

    it('verifies the session with the fetched certificate, pins the bank CA on first use, then matches it', async () => {
      const uri = signedBy(bank.user);
      const first = await runAsync(['session', 'show', uri, '--gateway', gatewayUrl, '--pins', pins, '--json']);
      expect(first.status, first.stdout + first.stderr).to.equal(0);
      expect(first.json.bank).to.deep.equal({ mspId: 'Bank1MSP', name: 'Bank One' });
      expect(first.json.published).to.deep.include({ source: 'registry', pin: 'new', caFingerprint256: new X509Certificate(bank.ca.certificatePem).fingerprint256 });
      const pinned = JSON.parse(readFileSync(pins, 'utf8')) as { banks: Record<string, { caFingerprint256: string }> };
      expect(pinned.banks.Bank1MSP?.caFingerprint256).to.equal(new X509Certificate(bank.ca.certificatePem).fingerprint256);
      const again = await runAsync(['session', 'show', uri, '--gateway', gatewayUrl, '--pins', pins, '--json']);
      expect(again.json.published).to.deep.include({ pin: 'matched' });
      expect(ledger.evaluates.at(-1)).to.deep.equal({ fn: 'registry:getSessionCertificate', args: ['Bank1MSP'] });

      const { w } = prepared();
      const consent = await runAsync(['consent', uri, '--commitment', 'id', '--gateway', gatewayUrl, '--pins', pins, '--json', ...w]);
      expect(consent.status, consent.stdout + consent.stderr).to.equal(0);
      expect((consent.json.submission as { consent: { bank: string } }).consent.bank).to.equal('Bank1MSP');
    });

    it('refuses a session signed by another key than the published one, even of the same CA', async () => {
      const sameCa = issueTestIdentity(bank.ca, 'Admin@bank1.example.com', { ou: 'admin' });
      const stranger = createTestBank('bank1.example.com');
      for (const signer of [sameCa, stranger.user]) {
        const r = await runAsync(['session', 'show', signedBy(signer), '--gateway', gatewayUrl, '--pins', pins, '--json']);
        expectError(r, 1, 'SESSION_SIGNER_UNTRUSTED');
      }
      const { w } = prepared();
      expectError(await runAsync(['consent', signedBy(sameCa), '--commitment', 'id', '--gateway', gatewayUrl, '--pins', pins, '--json', ...w]), 1, 'SESSION_SIGNER_UNTRUSTED');
      // Nothing is pinned from a session that did not verify.
      expect(existsSync(pins)).to.equal(false);
      expectError(await runAsync(['session', 'show', signedBy(bank.user, 'Bank2MSP'), '--gateway', gatewayUrl, '--pins', pins, '--json']), 1, 'BANK_CERTIFICATE_NOT_PUBLISHED');
    });

    it('refuses a certificate of another CA than the pinned one until --repin, then warns', async () => {
      expect((await runAsync(['session', 'show', signedBy(bank.user), '--gateway', gatewayUrl, '--pins', pins, '--json'])).status).to.equal(0);
      const other = createTestBank('bank1.example.com');
      ledger.sessionCertificates.set('Bank1MSP', published(other.user, other.ca));
      const uri = signedBy(other.user);
      const refused = await runAsync(['session', 'show', uri, '--gateway', gatewayUrl, '--pins', pins, '--json']);
      expectError(refused, 1, 'BANK_PIN_MISMATCH');
      expect((refused.json.error as { details: Record<string, string> }).details).to.include({ published: new X509Certificate(other.ca.certificatePem).fingerprint256 });
      const repinned = await runAsync(['session', 'show', uri, '--gateway', gatewayUrl, '--pins', pins, '--repin']);
      expect(repinned.status, repinned.stderr).to.equal(0);
      expect(repinned.stderr).to.match(/WARNING: Bank1MSP's CA changed/);
      expect((await runAsync(['session', 'show', uri, '--gateway', gatewayUrl, '--pins', pins, '--json'])).json.published).to.deep.include({ pin: 'matched' });
    });
  });
});
