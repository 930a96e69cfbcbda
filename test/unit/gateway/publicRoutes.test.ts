import { expect } from 'chai';
import request from 'supertest';
import { CERTIFIER_KEY, NEW_SUBJECT, SUBJECT, SUBJECT_LOWER, attestationInput, newTestApp } from './testApp';

describe('gateway public routes', function () {
  it('answers the status of every attestation of an address without an API key', async function () {
    const { app, ledger } = newTestApp();
    const first = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(201);
    const second = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput({ commitmentRoot: 'c3'.repeat(32) })).expect(201);
    await request(app).post(`/v1/attestations/${first.body.attestation.id}/revoke`).set('x-api-key', CERTIFIER_KEY).send({ reason: 'FRAUD' }).expect(200);

    const res = await request(app).get(`/v1/public/attestations/${encodeURIComponent(SUBJECT_LOWER)}/status`).expect(200);
    expect(res.body.subject).to.equal(SUBJECT);
    expect(res.body.valid).to.equal(true);
    expect(res.body.attestations.map((s: { id: string; status: string }) => [s.id, s.status])).to.deep.equal([
      [first.body.attestation.id, 'REVOKED'],
      [second.body.attestation.id, 'VALID'],
    ]);
    // attestation:status always gets both arguments; an empty time means the transaction time.
    expect(ledger.evaluates.slice(-3)).to.deep.equal([
      { fn: 'attestation:listBySubject', args: [SUBJECT] },
      { fn: 'attestation:status', args: [first.body.attestation.id, ''] },
      { fn: 'attestation:status', args: [second.body.attestation.id, ''] },
    ]);
  });

  it('passes ?at= to attestation:status, and an address without attestations is simply not valid', async function () {
    const { app, ledger } = newTestApp('bank');
    ledger.attestations.set('d'.repeat(64), { id: 'd'.repeat(64), subject: SUBJECT, status: 'active', expiresAt: '2027-01-01T00:00:00Z' });
    const later = await request(app).get(`/v1/public/attestations/${SUBJECT}/status`).query({ at: '2027-06-01T00:00:00Z' }).expect(200);
    expect(later.body).to.include({ valid: false });
    expect(later.body.attestations[0].status).to.equal('EXPIRED');
    expect(ledger.evaluates.at(-1)).to.deep.equal({ fn: 'attestation:status', args: ['d'.repeat(64), '2027-06-01T00:00:00Z'] });

    const none = await request(app).get(`/v1/public/attestations/${NEW_SUBJECT}/status`).expect(200);
    expect(none.body).to.deep.equal({ subject: NEW_SUBJECT, valid: false, attestations: [] });
  });

  it('refuses a malformed address or time with VALIDATION_FAILED naming the location', async function () {
    const { app, ledger } = newTestApp();
    const bad = await request(app).get('/v1/public/attestations/eip155:1:0x1234/status').query({ at: 'yesterday', extra: '1' }).expect(400);
    expect(bad.body.code).to.equal('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { location: string; path: string }) => `${e.location}:${e.path}`)).to.deep.equal(['params:subject', 'query:at', 'query:']);
    expect(ledger.evaluates).to.have.length(0);
  });

  it('lists the consortium members', async function () {
    const { app } = newTestApp('bank');
    const res = await request(app).get('/v1/public/members').expect(200);
    expect(res.body.members.map((m: { mspId: string }) => m.mspId)).to.deep.equal(['Certifier1MSP', 'Bank1MSP']);
  });

  it('serves a bank\'s published session certificate, 404 when none, 400 for a bad MSP ID', async function () {
    const { app, ledger } = newTestApp('issuer');
    const published = { mspId: 'Bank1MSP', chain: 'PEM', fingerprint256: 'AA', caFingerprint256: 'BB', validTo: '2027-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', txId: 'c'.repeat(64) };
    ledger.sessionCertificates.set('Bank1MSP', published);
    expect((await request(app).get('/v1/public/members/Bank1MSP/session-certificate').expect(200)).body).to.deep.equal(published);
    expect(ledger.evaluates.at(-1)).to.deep.equal({ fn: 'registry:getSessionCertificate', args: ['Bank1MSP'] });
    expect((await request(app).get('/v1/public/members/Bank2MSP/session-certificate').expect(404)).body.code).to.equal('NOT_FOUND');
    expect((await request(app).get('/v1/public/members/9bad/session-certificate').expect(400)).body.code).to.equal('VALIDATION_FAILED');
  });

  it('serves no certifier routes on a bank gateway (the bank flow is not built yet)', async function () {
    const { app } = newTestApp('bank');
    const res = await request(app).post('/v1/attestations').send(attestationInput()).expect(404);
    expect(res.body.code).to.equal('NOT_FOUND');
  });
});
