import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  checkWalletSubmission,
  createBankSession,
  encodeSessionUri,
  leafHash,
  verifyDisclosure,
  verifyStatementSignature,
  WalletSubmissionSchema,
  type BankSession,
  type BankSessionInput,
  type Disclosure,
} from '@kyc-ledger/crypto';
import { attachAttestation, commit, consentToSession, createKey, openWallet, requestAttestation, showSession, type Wallet } from '@kyc-ledger/wallet';
import { createTestBank, createTestCa, issueTestIdentity, type TestIdentity } from '../../support/bankPki';
import { expectWalletError, NETWORK, PERSON, tempDir } from './walletFixtures';

const REQUESTED = ['familyName', 'givenName'];

describe('wallet: consent to a bank session', function () {
  this.timeout(60_000);
  let bank: { ca: TestIdentity; user: TestIdentity };
  let trustedCas: Record<string, string[]>;
  let dir: string;
  let wallet: Wallet;
  let root: string;
  let attestationId: string;
  let accountId: string;

  function sessionInput(overrides: Partial<BankSessionInput> = {}): BankSessionInput {
    return {
      network: NETWORK,
      bank: { mspId: 'Bank1MSP', name: 'Bank One' },
      fields: REQUESTED,
      claimTopics: ['identity'],
      ttlSeconds: 300,
      submitUrl: 'https://bank1.example.com/v1/sessions/submit',
      ...overrides,
    };
  }

  function newSession(overrides: Partial<BankSessionInput> = {}, now = new Date()): BankSession {
    return createBankSession(sessionInput(overrides), { ...bank.user, now });
  }

  before(() => {
    bank = createTestBank('bank1.example.com');
    trustedCas = { Bank1MSP: [bank.ca.certificatePem] };
  });

  beforeEach(async () => {
    dir = tempDir();
    wallet = await openWallet({ path: path.join(dir, 'wallet.json'), insecurePlaintext: true, create: true });
    const key = await createKey(wallet, { kind: 'secp256k1', label: 'me' });
    accountId = key.accountId;
    root = (await commit(wallet, { fields: PERSON, label: 'id' })).root;
    attestationId = (await requestAttestation(wallet, { key: 'me', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: NETWORK, commitment: 'id' })).attestationId;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows who asks for which fields after verifying the bank\'s signature', () => {
    const session = newSession();
    const { summary } = showSession(encodeSessionUri(session), { trustedCas });
    expect(summary).to.include({ sessionId: session.sessionId, network: NETWORK, expiresAt: session.expiresAt, submitUrl: session.submitUrl });
    expect(summary.bank).to.deep.equal({ mspId: 'Bank1MSP', name: 'Bank One' });
    expect(summary.fields).to.deep.equal(REQUESTED);
    expect(summary.expiresInSeconds).to.be.within(295, 300);
    expect(summary.signer.subject).to.contain('User1@bank1.example.com');
  });

  it('refuses untrusted, tampered, expired and garbled sessions with the coded reason', () => {
    const session = newSession();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'no error';
    };
    expect(code(() => showSession(encodeSessionUri(session), { trustedCas: {} }))).to.equal('SESSION_SIGNER_UNTRUSTED');
    const otherCa = createTestCa('bank2.example.com');
    expect(code(() => showSession(session, { trustedCas: { Bank1MSP: [otherCa.certificatePem] } }))).to.equal('SESSION_SIGNER_UNTRUSTED');
    const impostor = issueTestIdentity(otherCa, 'User1@bank1.example.com');
    const forged = createBankSession(sessionInput(), { ...impostor, now: new Date() });
    expect(code(() => showSession(forged, { trustedCas }))).to.equal('SESSION_SIGNER_UNTRUSTED');
    expect(code(() => showSession({ ...session, fields: ['birthDate', 'familyName', 'givenName'] }, { trustedCas }))).to.equal('SESSION_SIGNATURE_INVALID');
    expect(code(() => showSession(session, { trustedCas, now: new Date(Date.parse(session.expiresAt) + 1000) }))).to.equal('SESSION_EXPIRED');
    expect(code(() => showSession('kycledger://session?d=@@@', { trustedCas }))).to.equal('SESSION_URI_INVALID');
  });

  it('signs the consent and discloses exactly the 2 requested fields of 5, which verify against the root', async () => {
    await attachAttestation(wallet, { commitment: 'id', attestationId });
    const session = newSession();
    const { submission, session: summary, response } = await consentToSession(wallet, encodeSessionUri(session), { trustedCas, commitment: 'id' });
    expect(response).to.equal(undefined);
    expect(summary.sessionId).to.equal(session.sessionId);
    expect(WalletSubmissionSchema.safeParse(submission).success).to.equal(true);
    expect(submission.consent).to.include({ purpose: 'consent', sessionId: session.sessionId, bank: 'Bank1MSP', attestationId, expiresAt: session.expiresAt, address: accountId, network: NETWORK });
    expect(submission.consent.fields).to.deep.equal(REQUESTED);
    expect(verifyStatementSignature(submission.consent, submission.signature, { network: NETWORK, purpose: 'consent' })).to.deep.equal({ ok: true, address: accountId });
    expect(Object.keys(submission.disclosure.disclosed)).to.deep.equal(REQUESTED);
    expect(Object.keys(submission.disclosure.leaves)).to.deep.equal(['birthDate', 'documentNumber', 'nationality']);
    expect(checkWalletSubmission(submission, session, { now: new Date() }).ok).to.equal(true);

    const verified = verifyDisclosure(root, submission.disclosure, REQUESTED);
    expect(verified).to.deep.equal({ ok: true, values: { familyName: 'Müller', givenName: 'Anna' } });

    // Tampering with any part of the disclosure breaks the root.
    const clone = (): Disclosure => JSON.parse(JSON.stringify(submission.disclosure));
    const wrongValue = clone();
    (wrongValue.disclosed.givenName as { value: string }).value = 'Anne';
    const wrongSalt = clone();
    (wrongSalt.disclosed.familyName as { salt: string }).salt = '00'.repeat(32);
    const wrongLeaf = clone();
    wrongLeaf.leaves.birthDate = 'ff'.repeat(32);
    const dropped = clone();
    delete dropped.leaves.nationality;
    for (const tampered of [wrongValue, wrongSalt, wrongLeaf, dropped]) {
      expect(verifyDisclosure(root, tampered, REQUESTED)).to.include({ ok: false, reason: 'DISCLOSURE_MISMATCH' });
    }
    // Turning a requested field back into a leaf still matches the root, but is caught as not disclosed.
    const hidden = clone();
    const familyName = hidden.disclosed.familyName as { value: string; salt: string };
    delete hidden.disclosed.familyName;
    hidden.leaves.familyName = Buffer.from(leafHash('familyName', Buffer.from(familyName.salt, 'hex'), familyName.value)).toString('hex');
    expect(verifyDisclosure(root, hidden).ok).to.equal(true);
    expect(verifyDisclosure(root, hidden, REQUESTED)).to.include({ ok: false, reason: 'FIELD_NOT_DISCLOSED' });
  });

  it('needs an attached attestation, every requested field, the subject key and the attestation\'s network', async () => {
    const session = newSession();
    await expectWalletError(consentToSession(wallet, session, { trustedCas, commitment: 'id' }), 'COMMITMENT_NOT_ATTACHED');
    await attachAttestation(wallet, { commitment: 'id', attestationId });
    expect(wallet.findCommitment('id').attestation).to.include({ id: attestationId, subject: accountId, network: NETWORK });
    await expectWalletError(consentToSession(wallet, newSession({ fields: ['email', 'givenName'] }), { trustedCas, commitment: 'id' }), 'FIELD_NOT_COMMITTED');
    await createKey(wallet, { kind: 'ed25519', label: 'other' });
    await expectWalletError(consentToSession(wallet, session, { trustedCas, commitment: 'id', key: 'other' }), 'KEY_NOT_SUBJECT');
    await expectWalletError(consentToSession(wallet, newSession({ network: 'kyc-ledger/other' }), { trustedCas, commitment: 'id' }), 'NETWORK_MISMATCH');
    await expectWalletError(consentToSession(wallet, session, { trustedCas: {}, commitment: 'id' }), 'SESSION_SIGNER_UNTRUSTED');
    await expectWalletError(attachAttestation(wallet, { commitment: 'id', attestationId, key: 'other' }), 'KEY_NOT_SUBJECT');
    await expectWalletError(attachAttestation(wallet, { commitment: 'id', attestationId: 'bad id!' }), 'INVALID_ARGUMENT');
  });

  it('accepts an attestation it did not request when the key is named', async () => {
    const other = await createKey(wallet, { kind: 'bitcoin-p2wpkh', label: 'btc' });
    const info = await attachAttestation(wallet, { commitment: 'id', attestationId: 'external-attestation-1', key: 'btc' });
    expect(info.attestation).to.include({ id: 'external-attestation-1', subject: other.accountId });
    const { submission } = await consentToSession(wallet, newSession(), { trustedCas, commitment: 'id' });
    expect(submission.consent.address).to.equal(other.accountId);
    expect(submission.signature.scheme).to.equal('bip137');
    expect(verifyStatementSignature(submission.consent, submission.signature, { purpose: 'consent' }).ok).to.equal(true);
  });

  describe('--submit', () => {
    let server: Server;
    let baseUrl: string;
    let received: { method?: string; contentType?: string; body: unknown }[];

    before(async () => {
      received = [];
      server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          received.push({ method: req.method, contentType: req.headers['content-type'], body: text ? JSON.parse(text) : undefined });
          if (req.url === '/redirect') {
            res.writeHead(307, { location: '/ok' }).end();
          } else if (req.url === '/old' && text.includes('"session"')) {
            // A bank gateway from before sessions were carried back: its submission schema is strict.
            res.writeHead(400, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'SUBMISSION_MALFORMED', status: 400, details: { issues: [{ path: '', message: 'Unrecognized key: "session"' }] } }));
          } else if (req.url === '/reject') {
            res.writeHead(409, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'SESSION_ALREADY_USED', status: 409 }));
          } else {
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: 'verified' }));
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    beforeEach(async () => {
      received.length = 0;
      await attachAttestation(wallet, { commitment: 'id', attestationId });
    });

    it('POSTs the submission as JSON to the session\'s submitUrl and returns status and body', async () => {
      const session = newSession({ submitUrl: `${baseUrl}/ok` });
      const result = await consentToSession(wallet, encodeSessionUri(session), { trustedCas, commitment: 'id', submit: true });
      expect(result.response).to.deep.include({ status: 200, ok: true, body: { result: 'verified' } });
      expect(received).to.have.length(1);
      expect(received[0]).to.deep.include({ method: 'POST', contentType: 'application/json', body: JSON.parse(JSON.stringify(result.submission)) });
    });

    it('carries the signed session back, and sends the submission again without it to a gateway that predates that', async () => {
      const result = await consentToSession(wallet, encodeSessionUri(newSession({ submitUrl: `${baseUrl}/old` })), { trustedCas, commitment: 'id', submit: true });
      expect(result.response).to.deep.include({ status: 200, ok: true });
      expect(received.map((r) => Object.keys(r.body as object).includes('session'))).to.deep.equal([true, false]);
      const plain = JSON.parse(JSON.stringify(result.submission)) as Record<string, unknown>;
      delete plain['session'];
      expect(received[1]?.body).to.deep.equal(plain);
    });

    it('reports a non-2xx answer as SUBMIT_REJECTED with status and body, and refuses redirects', async () => {
      const rejected = (await expectWalletError(consentToSession(wallet, newSession({ submitUrl: `${baseUrl}/reject` }), { trustedCas, commitment: 'id', submit: true }), 'SUBMIT_REJECTED')) as { details: unknown };
      expect(rejected.details).to.deep.equal({ status: 409, body: { code: 'SESSION_ALREADY_USED', status: 409 } });
      await expectWalletError(consentToSession(wallet, newSession({ submitUrl: `${baseUrl}/redirect` }), { trustedCas, commitment: 'id', submit: true }), 'SUBMIT_FAILED');
      expect(received.map((r) => r.body !== undefined)).to.deep.equal([true, true]);
    });

    it('reports an unreachable bank as SUBMIT_FAILED', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      await expectWalletError(consentToSession(wallet, newSession({ submitUrl: `http://127.0.0.1:${port}/x` }), { trustedCas, commitment: 'id', submit: true }), 'SUBMIT_FAILED');
    });
  });
});
