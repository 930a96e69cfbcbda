import { expect } from 'chai';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import {
  bankSessionSigningBytes,
  buildConsentStatement,
  checkWalletSubmission,
  commitFields,
  createBankSession,
  createDisclosure,
  decodeSessionUri,
  encodeSessionUri,
  generateKey,
  isBankSessionError,
  MAX_SESSION_URI_LENGTH,
  sessionQrPayload,
  signStatement,
  statementDigest,
  verifyBankSession,
  verifyDisclosure,
  verifyStatementSignature,
  WalletSubmissionSchema,
  type BankSession,
  type BankSessionErrorCode,
  type BankSessionInput,
  type BankSessionResult,
} from '@kyc-ledger/crypto';
import { createTestBank, createTestCa, issueTestIdentity, type TestIdentity } from '../../support/bankPki';

/** Fixed once the before() hook has issued the certificates, which are valid from their issuing second. */
let NOW = new Date();
const INPUT: BankSessionInput = {
  network: 'kyc-ledger/kyc',
  bank: { mspId: 'Bank1MSP', name: 'Bank One' },
  fields: ['nationality', 'familyName', 'givenName', 'familyName'],
  claimTopics: ['identity'],
  ttlSeconds: 300,
  submitUrl: 'https://bank1.example.com/v1/sessions/submit',
};

function expectRefused(result: BankSessionResult, reason: string): void {
  expect(result.ok, JSON.stringify(result)).to.equal(false);
  if (!result.ok) expect(result.reason, result.message).to.equal(reason);
}

function expectThrowsCode(fn: () => unknown, code: BankSessionErrorCode): void {
  try {
    fn();
  } catch (e) {
    expect(isBankSessionError(e), String(e)).to.equal(true);
    if (isBankSessionError(e)) expect(e.code, e.message).to.equal(code);
    return;
  }
  expect.fail(`expected a BankSessionError ${code}`);
}

describe('crypto: bank sessions', function () {
  this.timeout(60_000);
  let bank: { ca: TestIdentity; user: TestIdentity };
  let otherCa: TestIdentity;
  let trustedCas: Record<string, string[]>;
  let session: BankSession;

  before(() => {
    bank = createTestBank('bank1.example.com');
    otherCa = createTestCa('bank2.example.com');
    trustedCas = { Bank1MSP: [bank.ca.certificatePem], Bank2MSP: [otherCa.certificatePem] };
    NOW = new Date();
    session = createBankSession(INPUT, { ...bank.user, now: NOW });
  });

  describe('createBankSession', () => {
    it('builds a signed v1 session with sorted, unique fields and a 16-byte id', () => {
      expect(session.v).to.equal(1);
      expect(session.fields).to.deep.equal(['familyName', 'givenName', 'nationality']);
      expect(session.claimTopics).to.deep.equal(['identity']);
      expect(session.sessionId).to.match(/^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(session.sessionId, 'base64url')).to.have.length(16);
      expect(session.expiresAt).to.equal(new Date(NOW.getTime() + 300_000).toISOString());
      expect(session.signer.certificate).to.match(/^-----BEGIN CERTIFICATE-----\n/);
      expect(Buffer.from(session.signature, 'base64').toString('base64')).to.equal(session.signature);
    });

    it('signs the RFC 8785 canonical JSON of the session without its signature', () => {
      const { signature, ...body } = session;
      const bytes = Buffer.from(canonicalize(body), 'utf8');
      expect(bankSessionSigningBytes(session).equals(bytes)).to.equal(true);
      const key = createPublicKey(bank.user.certificatePem);
      expect(verifySignature('sha256', bytes, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'))).to.equal(true);
    });

    it('takes the id from the given random source, an absolute expiry as written and normalises the submit URL', () => {
      const fixed = () => new Uint8Array(16).fill(7);
      const a = createBankSession({ ...INPUT, ttlSeconds: undefined, expiresAt: '2999-01-01T00:00:00.5Z' }, { ...bank.user, now: NOW, random: fixed });
      expect(a.sessionId).to.equal(Buffer.alloc(16, 7).toString('base64url'));
      expect(a.expiresAt).to.equal('2999-01-01T00:00:00.5Z');
      const b = createBankSession({ ...INPUT, submitUrl: 'HTTPS://Bank1.Example.com' }, { ...bank.user, now: NOW });
      expect(b.submitUrl).to.equal('https://bank1.example.com/');
      expect(verifyBankSession({ ...b, submitUrl: 'HTTPS://Bank1.Example.com' }, { trustedCas, now: NOW })).to.include({ ok: false, reason: 'SESSION_MALFORMED' });
    });

    it('redraws ids that would start with - or _ (not a statement id)', () => {
      let calls = 0;
      const random = () => (++calls === 1 ? new Uint8Array(16).fill(0xff) : new Uint8Array(16).fill(1));
      const s = createBankSession(INPUT, { ...bank.user, now: NOW, random });
      expect(calls).to.equal(2);
      expect(s.sessionId).to.equal(Buffer.alloc(16, 1).toString('base64url'));
    });

    it('refuses bad input with SESSION_MALFORMED', () => {
      const sign = (input: Partial<BankSessionInput> & Record<string, unknown>) => () => createBankSession({ ...INPUT, ...input } as BankSessionInput, { ...bank.user, now: NOW });
      expectThrowsCode(sign({ fields: [] }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ fields: ['Given name'] }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ network: 'kyc-ledger' }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ submitUrl: 'ftp://bank.example.com/x' }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ submitUrl: 'https://user:pw@bank.example.com/x' }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ bank: { mspId: 'Bank1MSP', name: 'Bank\u202eOne' } }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ bank: { mspId: 'not an msp', name: 'Bank One' } }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ ttlSeconds: -1 }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ expiresAt: '2999-01-01T00:00:00Z' }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ ttlSeconds: undefined, expiresAt: new Date(NOW.getTime() - 1000) }), 'SESSION_MALFORMED');
      expectThrowsCode(sign({ ttlSeconds: undefined, expiresAt: '2999-01-01 00:00:00' }), 'SESSION_MALFORMED');
    });

    it('refuses a key that is not the certificate\'s, an RSA certificate and an expired certificate with SESSION_SIGNER_INVALID', () => {
      const other = issueTestIdentity(bank.ca, 'User2@bank1.example.com');
      expectThrowsCode(() => createBankSession(INPUT, { certificatePem: bank.user.certificatePem, privateKeyPem: other.privateKeyPem, now: NOW }), 'SESSION_SIGNER_INVALID');
      expectThrowsCode(() => createBankSession(INPUT, { certificatePem: 'not a certificate', privateKeyPem: bank.user.privateKeyPem, now: NOW }), 'SESSION_SIGNER_INVALID');
      expectThrowsCode(() => createBankSession(INPUT, { certificatePem: bank.user.certificatePem, privateKeyPem: 'nope', now: NOW }), 'SESSION_SIGNER_INVALID');
      const rsa = issueTestIdentity(bank.ca, 'Rsa@bank1.example.com', { keyType: 'rsa' });
      expectThrowsCode(() => createBankSession(INPUT, { ...rsa, now: NOW }), 'SESSION_SIGNER_INVALID');
      const later = new Date(NOW.getTime() + 40 * 86_400_000);
      expectThrowsCode(() => createBankSession(INPUT, { ...bank.user, now: later }), 'SESSION_SIGNER_INVALID');
    });
  });

  describe('verifyBankSession', () => {
    it('accepts a session signed by an identity of a CA trusted for its MSP', () => {
      const result = verifyBankSession(session, { trustedCas, now: NOW });
      expect(result.ok, JSON.stringify(result)).to.equal(true);
      if (result.ok) {
        expect(result.session).to.deep.equal(session);
        expect(result.signer.subject).to.contain('CN=User1@bank1.example.com');
      }
    });

    it('accepts the CA given as one PEM text among others', () => {
      const bundle = `${otherCa.certificatePem}${bank.ca.certificatePem}`;
      expect(verifyBankSession(session, { trustedCas: { Bank1MSP: bundle }, now: NOW }).ok).to.equal(true);
    });

    it('refuses any tampered member with SESSION_SIGNATURE_INVALID', () => {
      const tampered: Partial<BankSession>[] = [
        { fields: ['birthDate', 'familyName', 'givenName', 'nationality'] },
        { bank: { mspId: 'Bank1MSP', name: 'Bank Two' } },
        { submitUrl: 'https://evil.example.com/submit' },
        { expiresAt: '2999-01-01T00:00:00Z' },
        { claimTopics: [] },
        { network: 'kyc-ledger/other' },
        { sessionId: 'AAAAAAAAAAAAAAAAAAAAAA' },
      ];
      for (const change of tampered) {
        expectRefused(verifyBankSession({ ...session, ...change }, { trustedCas, now: NOW }), 'SESSION_SIGNATURE_INVALID');
      }
      const sig = Buffer.from(session.signature, 'base64');
      sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
      expectRefused(verifyBankSession({ ...session, signature: sig.toString('base64') }, { trustedCas, now: NOW }), 'SESSION_SIGNATURE_INVALID');
    });

    it('refuses a session re-signed by another identity claiming the same MSP (wrong CA)', () => {
      const impostor = issueTestIdentity(otherCa, 'User1@bank1.example.com');
      // A self-made CA with the genuine CA's name does not help either.
      const lookalike = issueTestIdentity(createTestCa('bank1.example.com'), 'User1@bank1.example.com');
      const now = new Date(); // certificates issued just now are valid from this second
      const forged = createBankSession(INPUT, { ...impostor, now });
      expectRefused(verifyBankSession(forged, { trustedCas, now }), 'SESSION_SIGNER_UNTRUSTED');
      const forged2 = createBankSession(INPUT, { ...lookalike, now });
      expectRefused(verifyBankSession(forged2, { trustedCas, now }), 'SESSION_SIGNER_UNTRUSTED');
    });

    it('refuses when no CA is configured for the MSP, or the CA is another MSP\'s', () => {
      expectRefused(verifyBankSession(session, { trustedCas: {}, now: NOW }), 'SESSION_SIGNER_UNTRUSTED');
      expectRefused(verifyBankSession(session, { trustedCas: { Bank1MSP: [otherCa.certificatePem] }, now: NOW }), 'SESSION_SIGNER_UNTRUSTED');
      expectRefused(verifyBankSession(session, { trustedCas: { Bank2MSP: [bank.ca.certificatePem] }, now: NOW }), 'SESSION_SIGNER_UNTRUSTED');
      expectRefused(verifyBankSession(session, { trustedCas: { Bank1MSP: ['garbage'] }, now: NOW }), 'SESSION_SIGNER_UNTRUSTED');
    });

    it('refuses a certificate that is not valid at now', () => {
      const short = issueTestIdentity(bank.ca, 'Short@bank1.example.com', { days: 1 });
      const now = new Date();
      const s = createBankSession({ ...INPUT, ttlSeconds: 5 * 86_400 }, { ...short, now });
      expect(verifyBankSession(s, { trustedCas, now }).ok).to.equal(true);
      const later = new Date(now.getTime() + 2 * 86_400_000);
      expectRefused(verifyBankSession(s, { trustedCas, now: later }), 'SESSION_SIGNER_UNTRUSTED');
      const earlier = new Date(now.getTime() - 86_400_000);
      expectRefused(verifyBankSession(s, { trustedCas, now: earlier }), 'SESSION_SIGNER_UNTRUSTED');
    });

    it('refuses an expired session with SESSION_EXPIRED', () => {
      expectRefused(verifyBankSession(session, { trustedCas, now: new Date(Date.parse(session.expiresAt)) }), 'SESSION_EXPIRED');
      expectRefused(verifyBankSession(session, { trustedCas, now: new Date(Date.parse(session.expiresAt) + 1) }), 'SESSION_EXPIRED');
      expect(verifyBankSession(session, { trustedCas, now: new Date(Date.parse(session.expiresAt) - 1) }).ok).to.equal(true);
    });

    it('refuses malformed sessions with SESSION_MALFORMED, never throwing', () => {
      const bad: unknown[] = [
        null,
        'session',
        [],
        { ...session, v: 2 },
        { ...session, extra: 1 },
        { ...session, fields: ['givenName', 'familyName'] },
        { ...session, fields: ['givenName', 'givenName'] },
        { ...session, expiresAt: '2030-01-01T00:00:00+01:00' },
        { ...session, expiresAt: '2030-02-30T00:00:00Z' },
        { ...session, sessionId: '_AAAAAAAAAAAAAAAAAAAAA' },
        { ...session, sessionId: 'AAAAAAAAAAAAAAAAAAAAAB' },
        { ...session, signature: `${session.signature}\n` },
        { ...session, signer: { certificate: session.signer.certificate.replace(/\n/g, '\r\n') } },
        { ...session, signer: { certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' } },
        { ...session, submitUrl: 'https://bank1.example.com/a/../b' },
      ];
      for (const value of bad) expectRefused(verifyBankSession(value, { trustedCas, now: NOW }), 'SESSION_MALFORMED');
    });
  });

  describe('session URI / QR payload', () => {
    it('round-trips through kycledger://session?d=', () => {
      const uri = encodeSessionUri(session);
      expect(uri).to.match(/^kycledger:\/\/session\?d=[A-Za-z0-9_-]+$/);
      expect(sessionQrPayload(session)).to.equal(uri);
      expect(Buffer.from(uri.slice('kycledger://session?d='.length), 'base64url').toString('utf8')).to.equal(canonicalize(session));
      const decoded = decodeSessionUri(uri);
      expect(decoded).to.deep.equal(session);
      expect(verifyBankSession(decoded, { trustedCas, now: NOW }).ok).to.equal(true);
      expect(uri.length).to.be.below(2953); // fits one QR code (version 40, binary, level L)
    });

    it('refuses garbage with SESSION_URI_INVALID', () => {
      const uri = encodeSessionUri(session);
      const data = uri.slice('kycledger://session?d='.length);
      const b64 = (text: string) => `kycledger://session?d=${Buffer.from(text, 'utf8').toString('base64url')}`;
      const garbage: unknown[] = [
        42,
        undefined,
        '',
        'kycledger://session',
        'kycledger://session?d=',
        'https://bank.example.com/session?d=abc',
        `KYCLEDGER://session?d=${data}`,
        `kycledger://session?x=${data}`,
        `${uri}&d=${data}`,
        `${uri}=`,
        `${uri}#frag`,
        `kycledger://session?d=${data.slice(0, -1)}`,
        `kycledger://session?d=${Buffer.from(canonicalize(session)).toString('base64')}`,
        `kycledger://session?d=${'A'.repeat(MAX_SESSION_URI_LENGTH)}`,
        `kycledger://session?d=${Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64url')}`,
        b64('not json'),
        b64('[1,2]'),
        b64('null'),
        b64(JSON.stringify(session, null, 1)),
        b64(`{"v":1,"v":1}`),
      ];
      for (const value of garbage) expectThrowsCode(() => decodeSessionUri(value), 'SESSION_URI_INVALID');
    });

    it('refuses a well-encoded but malformed session with SESSION_MALFORMED', () => {
      const uri = `kycledger://session?d=${Buffer.from(canonicalize({ ...session, v: 2 })).toString('base64url')}`;
      expectThrowsCode(() => decodeSessionUri(uri), 'SESSION_MALFORMED');
      expectThrowsCode(() => encodeSessionUri({ ...session, fields: [] }), 'SESSION_MALFORMED');
    });
  });

  describe('consent and wallet submission', () => {
    const person = { givenName: 'Anna', familyName: 'Müller', birthDate: '1990-04-12', nationality: 'CH', documentNumber: 'X1234567' };
    const attestationId = 'ab'.repeat(32);

    it('builds the consent statement from the session and the person\'s address', () => {
      const key = generateKey('secp256k1');
      const consent = buildConsentStatement(session, { attestationId, address: key.accountId.toLowerCase() });
      expect(consent).to.deep.equal({
        domain: 'kyc-ledger',
        version: 1,
        purpose: 'consent',
        network: session.network,
        chain: 'eip155:1',
        address: key.accountId,
        sessionId: session.sessionId,
        bank: 'Bank1MSP',
        fields: session.fields,
        attestationId,
        expiresAt: session.expiresAt,
      });
      const signature = signStatement(consent, key);
      expect(verifyStatementSignature(consent, signature, { network: 'kyc-ledger/kyc', purpose: 'consent' }).ok).to.equal(true);
    });

    it('accepts a matching submission and refuses mismatches (checkWalletSubmission)', () => {
      const key = generateKey('ed25519');
      const commitment = commitFields(person);
      const consent = buildConsentStatement(session, { attestationId, address: key.accountId });
      const submission = { consent, signature: signStatement(consent, key), disclosure: createDisclosure(commitment, session.fields) };
      expect(WalletSubmissionSchema.safeParse(submission).success).to.equal(true);
      const ok = checkWalletSubmission(JSON.parse(JSON.stringify(submission)), session, { now: NOW });
      expect(ok.ok, JSON.stringify(ok)).to.equal(true);
      if (ok.ok) {
        expect(ok.signer).to.equal(key.accountId);
        expect(ok.consentDigest).to.equal(statementDigest(consent));
      }
      // The bank's own sessions are frozen: what was checked at creation cannot change later.
      expect(Object.isFrozen(session) && Object.isFrozen(session.fields) && Object.isFrozen(session.bank)).to.equal(true);
      // A copy (not made by createBankSession) is parsed on every check, with the same answers.
      const copied = checkWalletSubmission(JSON.parse(JSON.stringify(submission)), JSON.parse(JSON.stringify(session)) as BankSession, { now: NOW });
      expect(copied).to.deep.equal(ok);
      expect(checkWalletSubmission(submission, { ...session, fields: ['Not a field'] }, { now: NOW })).to.include({ ok: false, reason: 'SUBMISSION_MALFORMED' });
      expect(verifyDisclosure(commitment.root, submission.disclosure, session.fields).ok).to.equal(true);

      const check = (value: unknown, now = NOW) => checkWalletSubmission(value, session, { now });
      expect(check({ ...submission, extra: 1 })).to.include({ ok: false, reason: 'SUBMISSION_MALFORMED' });
      expect(check({ ...submission, consent: { ...consent, purpose: 'session' } })).to.include({ ok: false, reason: 'SUBMISSION_MALFORMED' });
      const otherSession = createBankSession(INPUT, { ...bank.user, now: NOW });
      const foreign = buildConsentStatement(otherSession, { attestationId, address: key.accountId });
      expect(check({ ...submission, consent: foreign, signature: signStatement(foreign, key) })).to.include({ ok: false, reason: 'CONSENT_MISMATCH' });
      const tooMuch = createDisclosure(commitment, [...session.fields, 'birthDate']);
      expect(check({ ...submission, disclosure: tooMuch })).to.include({ ok: false, reason: 'CONSENT_MISMATCH' });
      const otherKey = generateKey('ed25519');
      const stolen = { ...submission, signature: signStatement(buildConsentStatement(session, { attestationId, address: otherKey.accountId }), otherKey) };
      expect(check(stolen)).to.include({ ok: false, reason: 'SIGNATURE_MISMATCH' });
      expect(check(submission, new Date(Date.parse(session.expiresAt) + 1))).to.include({ ok: false, reason: 'SESSION_EXPIRED' });
    });
  });
});
