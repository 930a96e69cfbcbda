import { createHash } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { buildConsentStatement, commitFields, createDisclosure, decodeSessionUri, generateKey, signStatement, type BankSession } from '@kyc-ledger/crypto';
import { createApp, createGatewayLogger, newGatewayMetrics, type AppConfig } from '@kyc-ledger/gateway';
import { createTestBank, issueTestIdentity, type TestIdentity } from '../../support/bankPki';
import { FakeLedgerClient } from './fakeLedgerClient';
import { appConfig, BANK_KEY } from './testApp';

const FIELDS = { givenName: 'Anna', familyName: 'Meier', birthDate: '1991-02-03', nationality: 'CH', documentNumber: 'X99' };
const ATTESTATION_ID = 'a7'.repeat(32);

type App = Parameters<typeof request>[0];

/** One instance of a bank's gateway over a ledger that several instances may share. */
function instance(ledger: FakeLedgerClient, identity: TestIdentity, opts: { config?: Partial<AppConfig>; now?: () => Date } = {}): App {
  return createApp({
    config: appConfig('bank', opts.config),
    ledger,
    logger: createGatewayLogger({ level: 'silent' }),
    metrics: newGatewayMetrics({ defaultMetrics: false }),
    sessionSigner: { certificatePem: identity.certificatePem, privateKeyPem: identity.privateKeyPem },
    ...(opts.now && { now: opts.now }),
  });
}

/** A certified person on `ledger`, answering sessions with the signed session included (as the wallet does). */
function person(ledger: FakeLedgerClient) {
  const key = generateKey('ed25519');
  const commitment = commitFields(FIELDS);
  ledger.attestations.set(ATTESTATION_ID, {
    id: ATTESTATION_ID, subject: key.accountId, certifier: 'Certifier1MSP', commitmentRoot: commitment.root, claimTopics: ['identity'],
    fieldNames: Object.keys(FIELDS).sort(), status: 'active', expiresAt: '2030-01-01T00:00:00Z',
  } as never);
  return (session: BankSession, withSession = true) => {
    const statement = buildConsentStatement(session, { attestationId: ATTESTATION_ID, address: key.accountId });
    return { consent: statement, signature: signStatement(statement, key), disclosure: createDisclosure(commitment, session.fields), ...(withSession && { session }) };
  };
}

async function create(app: App, query = ''): Promise<{ body: Record<string, unknown>; session: BankSession; bytes: number }> {
  const res = await request(app).post(`/v1/sessions${query}`).set('x-api-key', BANK_KEY).send({ fields: ['familyName', 'givenName'], claimTopics: ['identity'] }).expect(201);
  return { body: res.body as Record<string, unknown>, session: decodeSessionUri((res.body as { uri: string }).uri), bytes: res.text.length };
}

describe('gateway bank sessions: QR on request, several instances of one bank', function () {
  const pki = createTestBank();

  it('answers the deep link without an image by default, and the SVG or PNG only when asked', async function () {
    const app = instance(new FakeLedgerClient(), pki.user);
    const plain = await create(app);
    expect(plain.body).to.have.all.keys('sessionId', 'expiresAt', 'uri', 'session');
    expect(plain.bytes).to.be.below(6000);
    const svg = await create(app, '?qr=svg');
    expect(svg.body).to.have.nested.property('qr.svg').that.contains('<svg');
    expect(svg.body).to.not.have.nested.property('qr.pngDataUrl');
    const png = await create(app, '?qr=png');
    expect(png.body).to.have.nested.property('qr.pngDataUrl').that.matches(/^data:image\/png;base64,/);
    expect(png.body).to.not.have.nested.property('qr.svg');
    const bad = await request(app).post('/v1/sessions?qr=gif').set('x-api-key', BANK_KEY).send({ fields: ['familyName'] }).expect(400);
    expect(bad.body).to.have.property('code');
  });

  it('lets another instance take a session it did not create; the ledger receipt makes it one-time everywhere', async function () {
    const ledger = new FakeLedgerClient();
    const a = instance(ledger, pki.user);
    const b = instance(ledger, pki.user);
    const answer = person(ledger);
    const { session } = await create(a);
    // Without the signed session, B cannot know the session (an old wallet): only A can take it.
    expect((await request(b).post('/v1/sessions/submissions').send(answer(session, false)).expect(404)).body).to.include({ code: 'NOT_FOUND' });
    const verdict = await request(b).post('/v1/sessions/submissions').send(answer(session)).expect(200);
    expect(verdict.body).to.include({ verified: true });
    expect(ledger.receipts).to.have.length(1);
    // B took it: the disclosed values are in its memory.
    const atB = await request(b).get(`/v1/sessions/${session.sessionId}`).set('x-api-key', BANK_KEY).expect(200);
    expect(atB.body).to.nested.include({ state: 'verified', verdictSource: 'memory', 'verdict.fields.givenName': 'Anna' });
    // A created it but did not verify: it answers from the ledger receipt, without the values.
    const atA = await request(a).get(`/v1/sessions/${session.sessionId}`).set('x-api-key', BANK_KEY).expect(200);
    expect(atA.body).to.nested.include({ state: 'verified', verdictSource: 'ledger', 'verdict.verified': true, 'verdict.attestationId': ATTESTATION_ID });
    expect(atA.body).to.have.property('expiresAt', session.expiresAt);
    expect(atA.body.verdict).to.not.have.property('fields');
    // A third instance that never saw the session also answers from the ledger.
    const atC = await request(instance(ledger, pki.user)).get(`/v1/sessions/${session.sessionId}`).set('x-api-key', BANK_KEY).expect(200);
    expect(atC.body).to.include({ state: 'verified', verdictSource: 'ledger' }).and.not.have.property('expiresAt');
    // Replayed at A, whose memory still has the session open: the ledger refuses the second receipt.
    const replay = await request(a).post('/v1/sessions/submissions').send(answer(session)).expect(409);
    expect(replay.body).to.include({ code: 'SESSION_ALREADY_USED' });
    expect((await request(a).post('/v1/sessions/submissions').send(answer(session)).expect(409)).body).to.include({ code: 'SESSION_ALREADY_USED' });
    expect(ledger.receipts).to.have.length(1);
    // The refused replay used the session up at A too; its verdict is still the ledger's.
    const afterReplay = await request(a).get(`/v1/sessions/${session.sessionId}`).set('x-api-key', BANK_KEY).expect(200);
    expect(afterReplay.body).to.include({ state: 'verified', verdictSource: 'ledger' });
    expect(ledger.receipts[0]?.sessionIdHash).to.equal(createHash('sha256').update(session.sessionId).digest('hex'));
  });

  it('refuses a carried session of another bank, one signed by another identity, a tampered one and an expired one, using up nothing', async function () {
    const ledger = new FakeLedgerClient();
    const a = instance(ledger, pki.user);
    const b = instance(ledger, pki.user);
    const answer = person(ledger);
    // Another bank's gateway on the same ledger: its sessions are unknown here.
    const bank2 = createTestBank('bank2.example.com');
    const other = instance(ledger, bank2.user, { config: { org: { name: 'bank2', mspId: 'Bank2MSP', role: 'bank' } } });
    const { session: theirs } = await create(other);
    expect((await request(b).post('/v1/sessions/submissions').send(answer(theirs)).expect(404)).body).to.include({ code: 'NOT_FOUND' });
    // Someone with another certificate (even one of this bank's CA) signing as Bank1MSP.
    const impostor = instance(ledger, issueTestIdentity(pki.ca, 'User2@bank1.example.com'));
    const { session: forged } = await create(impostor);
    const refusedForged = await request(b).post('/v1/sessions/submissions').send(answer(forged)).expect(422);
    expect(refusedForged.body).to.include({ code: 'INVALID_SIGNATURE' });
    // A's genuine session with a changed member: the consent answers it, the signature does not.
    const { session } = await create(a);
    const tampered = { ...session, claimTopics: [] } as BankSession;
    const refusedTampered = await request(b).post('/v1/sessions/submissions').send(answer(tampered)).expect(422);
    expect(refusedTampered.body).to.include({ code: 'INVALID_SIGNATURE' });
    // An instance whose clock is past the session's expiry.
    const late = instance(ledger, pki.user, { now: () => new Date(Date.parse(session.expiresAt) + 1000) });
    expect((await request(late).post('/v1/sessions/submissions').send(answer(session)).expect(422)).body).to.include({ code: 'SESSION_EXPIRED' });
    // And one whose clock is past the expiry and the store's grace period (an old QR code replayed).
    const later = instance(ledger, pki.user, { now: () => new Date(Date.parse(session.expiresAt) + 24 * 3600_000) });
    expect((await request(later).post('/v1/sessions/submissions').send(answer(session)).expect(422)).body).to.include({ code: 'SESSION_EXPIRED' });
    expect(ledger.receipts).to.have.length(0);
    // None of it used the session up.
    expect((await request(b).post('/v1/sessions/submissions').send(answer(session)).expect(200)).body).to.include({ verified: true });
  });
});
