import { expect } from 'chai';
import request from 'supertest';
import { DEFAULT_STATUS_PAGE_SIZE, MAX_STATUS_PAGE_SIZE } from '@kyc-ledger/gateway';
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
    // In id order (the chaincode's index order), whatever order the ledger lists them in.
    const expected: [string, string][] = [[first.body.attestation.id as string, 'REVOKED'], [second.body.attestation.id as string, 'VALID']];
    expected.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(res.body.attestations.map((s: { id: string; status: string }) => [s.id, s.status])).to.deep.equal(expected);
    // attestation:status always gets both arguments; an empty time means the transaction time.
    expect(ledger.evaluates.slice(-3)).to.deep.equal([
      { fn: 'attestation:listBySubject', args: [SUBJECT] },
      ...expected.map(([id]) => ({ fn: 'attestation:status', args: [id, ''] })),
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

describe('gateway public status route: pages', function () {
  const ids = Array.from({ length: 45 }, (_, i) => (i * 7919).toString(16).padStart(64, '0'));

  function seeded(): ReturnType<typeof newTestApp> {
    const built = newTestApp('bank');
    // Stored in an order that is not the id order, to show the pages are.
    for (const id of [...ids].reverse()) built.ledger.attestations.set(id, { id, subject: SUBJECT, status: 'active', expiresAt: '2030-01-01T00:00:00Z' });
    return built;
  }

  it(`answers ${DEFAULT_STATUS_PAGE_SIZE} at a time by default and follows nextPageToken to the end, each attestation once`, async function () {
    const { app, ledger } = seeded();
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const before = ledger.evaluates.length;
      const res = await request(app).get(`/v1/public/attestations/${SUBJECT}/status`).query(token ? { pageToken: token } : {}).expect(200);
      pages++;
      expect(res.body.attestations.length).to.be.at.most(DEFAULT_STATUS_PAGE_SIZE);
      // One list read, then one status read per attestation of the page only.
      expect(ledger.evaluates.length - before).to.equal(1 + res.body.attestations.length);
      expect(res.body.valid).to.equal(true);
      seen.push(...res.body.attestations.map((s: { id: string }) => s.id));
      token = res.body.nextPageToken as string | undefined;
      expect(token === undefined || /^[A-Za-z0-9_-]+$/.test(token)).to.equal(true);
    } while (token !== undefined);
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal([...ids].sort());
  });

  it(`takes limit up to ${MAX_STATUS_PAGE_SIZE}; a larger limit or a forged token is VALIDATION_FAILED`, async function () {
    const { app, ledger } = seeded();
    const one = await request(app).get(`/v1/public/attestations/${SUBJECT}/status`).query({ limit: '1' }).expect(200);
    expect(one.body.attestations.map((s: { id: string }) => s.id)).to.deep.equal([[...ids].sort()[0]]);
    const all = await request(app).get(`/v1/public/attestations/${SUBJECT}/status`).query({ limit: String(MAX_STATUS_PAGE_SIZE) }).expect(200);
    expect(all.body.attestations).to.have.length(45);
    expect(all.body).not.to.have.property('nextPageToken');
    const calls = ledger.evaluates.length;
    for (const query of [{ limit: String(MAX_STATUS_PAGE_SIZE + 1) }, { limit: '0' }, { limit: '-1' }, { limit: 'ten' }, { pageToken: 'bm90LWEtdG9rZW4' }, { pageToken: '!!' }, { limit: '5', pageToken: Buffer.from('after:xyz').toString('base64url') }]) {
      const res = await request(app).get(`/v1/public/attestations/${SUBJECT}/status`).query(query).expect(400);
      expect(res.body.code, JSON.stringify(query)).to.equal('VALIDATION_FAILED');
      expect(res.body.errors[0].location).to.equal('query');
    }
    expect(ledger.evaluates.length).to.equal(calls);
  });
});
