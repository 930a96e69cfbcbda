import { createHash } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { buildConsentStatement, commitFields, createDisclosure, decodeSessionUri, generateKey, signStatement, verifyBankSession, type BankSession } from '@kyc-ledger/crypto';
import { createApp, createGatewayLogger, GatewayError, newGatewayMetrics } from '@kyc-ledger/gateway';
import { createTestBank } from '../../support/bankPki';
import { FakeLedgerClient } from './fakeLedgerClient';
import { appConfig, BANK_KEY } from './testApp';

const FIELDS = { givenName: 'Anna', familyName: 'Meier', birthDate: '1991-02-03', nationality: 'CH', documentNumber: 'X99' };

function bankApp() {
  const pki = createTestBank();
  const ledger = new FakeLedgerClient();
  const app = createApp({
    config: appConfig('bank'),
    ledger,
    logger: createGatewayLogger({ level: 'silent' }),
    metrics: newGatewayMetrics({ defaultMetrics: false }),
    sessionSigner: { certificatePem: pki.user.certificatePem, privateKeyPem: pki.user.privateKeyPem },
  });
  // A certified person: the attestation on the (fake) ledger commits to their fields.
  const key = generateKey('ed25519');
  const commitment = commitFields(FIELDS);
  const attestationId = 'a7'.repeat(32);
  ledger.attestations.set(attestationId, {
    id: attestationId, subject: key.accountId, certifier: 'Certifier1MSP', commitmentRoot: commitment.root, claimTopics: ['identity'],
    fieldNames: Object.keys(FIELDS).sort(), status: 'active', expiresAt: '2030-01-01T00:00:00Z',
  } as never);
  const consent = (session: BankSession) => {
    const statement = buildConsentStatement(session, { attestationId, address: key.accountId });
    return { consent: statement, signature: signStatement(statement, key), disclosure: createDisclosure(commitment, session.fields) };
  };
  return { app, ledger, pki, consent };
}

async function openSession(app: Parameters<typeof request>[0]): Promise<BankSession> {
  const res = await request(app).post('/v1/sessions').set('x-api-key', BANK_KEY).send({ fields: ['familyName', 'givenName'], claimTopics: ['identity'] }).expect(201);
  return decodeSessionUri((res.body as { uri: string }).uri);
}

describe('gateway bank routes (in-memory ledger)', function () {
  it('signs a session the wallet can check, verifies a consent, records a hashes-only receipt, and serves the verdict once', async function () {
    const { app, ledger, pki, consent } = bankApp();
    const session = await openSession(app);
    expect(verifyBankSession(session, { trustedCas: { Bank1MSP: pki.ca.certificatePem }, now: new Date() })).to.have.property('ok', true);
    const verdict = await request(app).post('/v1/sessions/submissions').send(consent(session)).expect(200);
    expect(verdict.body).to.include({ verified: true });
    expect(ledger.receipts).to.have.length(1);
    expect(JSON.stringify(ledger.receipts)).to.not.contain('Anna');
    const status = await request(app).get(`/v1/sessions/${session.sessionId}`).set('x-api-key', BANK_KEY).expect(200);
    expect(status.body).to.nested.include({ state: 'verified', 'verdict.fields.givenName': 'Anna' });
    const again = await request(app).post('/v1/sessions/submissions').send(consent(session)).expect(409);
    expect(again.body).to.include({ code: 'SESSION_ALREADY_USED' });
    // The bank reads its receipt back with the hash the block holds for it.
    const hash = createHash('sha256').update(session.sessionId).digest('hex');
    const receipt = await request(app).get(`/v1/receipts/${hash}`).set('x-api-key', BANK_KEY).expect(200);
    expect(receipt.body.receipt).to.include({ sessionIdHash: hash, bank: 'Bank1MSP', result: 'verified' });
    const sorted = Object.fromEntries(Object.entries(receipt.body.receipt as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(receipt.body.valueHash).to.equal(createHash('sha256').update(JSON.stringify(sorted)).digest('hex'));
    expect((await request(app).get(`/v1/receipts/${'0'.repeat(64)}`).set('x-api-key', BANK_KEY).expect(404)).body).to.include({ code: 'NOT_FOUND' });
    expect((await request(app).get('/v1/receipts/nothex').set('x-api-key', BANK_KEY).expect(400)).body).to.have.property('code');
    await request(app).get(`/v1/receipts/${hash}`).expect(401);
  });

  it('leaves the session open after a malformed submission or a ledger failure, so the person can retry', async function () {
    const { app, ledger, consent } = bankApp();
    const session = await openSession(app);
    const malformed = await request(app).post('/v1/sessions/submissions').send({ consent: { sessionId: session.sessionId } }).expect(400);
    expect(malformed.body).to.include({ code: 'SUBMISSION_MALFORMED' });
    ledger.failNext('consent:recordBatch', new GatewayError('UPSTREAM_UNAVAILABLE', 'the ledger did not answer'));
    const down = await request(app).post('/v1/sessions/submissions').send(consent(session)).expect(503);
    expect(down.body).to.include({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(ledger.receipts).to.have.length(0);
    const retried = await request(app).post('/v1/sessions/submissions').send(consent(session)).expect(200);
    expect(retried.body).to.include({ verified: true });
    expect(ledger.receipts).to.have.length(1);
  });
});
