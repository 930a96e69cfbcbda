import { expect } from 'chai';
import request from 'supertest';
import { GatewayError, MAX_BULK_ITEMS, PROBLEM_CONTENT_TYPE, hashApiKey } from '@kyc-ledger/gateway';
import { BANK_KEY, CERTIFIER_KEY, NEW_SUBJECT, SUBJECT, SUBJECT_LOWER, attestationInput, newTestApp } from './testApp';

const sig = { scheme: 'eip191', signature: `0x${'ef'.repeat(65)}` };

describe('gateway certifier routes', function () {
  it('registers an attestation: canonical JSON to attestation:register, 201 with the transaction id', async function () {
    const { app, ledger } = newTestApp();
    const body = attestationInput({ subject: SUBJECT_LOWER });
    const res = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(body).expect(201);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.headers['x-transaction-id']).to.equal('tx1');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.body.transactionId).to.equal('tx1');
    expect(res.body.attestation).to.include({ subject: SUBJECT, certifier: 'Certifier1MSP', status: 'active' });
    expect(ledger.submits).to.have.length(1);
    const call = ledger.submits[0];
    expect(call?.fn).to.equal('attestation:register');
    // Keys sorted (RFC 8785) and the subject normalised to its EIP-55 spelling.
    const sent = call?.args[0] as string;
    expect(sent.startsWith('{"assuranceLevel":"substantial","claimTopics":["kyc-basic"],"commitmentRoot":')).to.equal(true);
    expect(JSON.parse(sent).subject).to.equal(SUBJECT);
  });

  it('answers the chaincode\'s CONFLICT for a second registration as 409 with the transaction id', async function () {
    const { app } = newTestApp();
    await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(201);
    const res = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(409);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body).to.include({ code: 'CONFLICT', status: 409, transactionId: 'tx2' });
  });

  it('bulk-registers idempotently and accepts exactly MAX_BULK_ITEMS items', async function () {
    this.timeout(60_000);
    const { app, ledger } = newTestApp();
    const items = Array.from({ length: MAX_BULK_ITEMS }, (_, i) => attestationInput({ commitmentRoot: i.toString(16).padStart(64, '0') }));
    const first = await request(app).post('/v1/attestations/bulk').set('x-api-key', CERTIFIER_KEY).send({ items }).expect(200);
    expect(first.body).to.include({ transactionId: 'tx1', registered: MAX_BULK_ITEMS, unchanged: 0 });
    expect(first.body.ids).to.have.length(MAX_BULK_ITEMS);
    const again = await request(app).post('/v1/attestations/bulk').set('x-api-key', CERTIFIER_KEY).send({ items: items.slice(0, 10) }).expect(200);
    expect(again.body).to.include({ registered: 0, unchanged: 10 });
    expect(ledger.submits.map((c) => c.fn)).to.deep.equal(['attestation:registerBulk', 'attestation:registerBulk']);

    const tooMany = await request(app).post('/v1/attestations/bulk').set('x-api-key', CERTIFIER_KEY).send({ items: [...items, attestationInput()] }).expect(400);
    expect(tooMany.body.code).to.equal('VALIDATION_FAILED');
    expect(tooMany.body.errors[0]).to.include({ location: 'body', path: 'items' });
    expect(ledger.submits).to.have.length(2);
  });

  it('names the failing bulk items by index and lists at most 100 problems', async function () {
    const { app, ledger } = newTestApp();
    const items = Array.from({ length: 300 }, () => attestationInput({ jurisdiction: 'XX' }));
    const res = await request(app).post('/v1/attestations/bulk').set('x-api-key', CERTIFIER_KEY).send({ items }).expect(400);
    expect(res.body.errors).to.have.length(100);
    expect(res.body.errors[7]).to.deep.equal({ location: 'body', path: 'items.7.jurisdiction', message: 'is not an assigned ISO 3166-1 alpha-2 code' });
    expect(res.body.detail).to.contain('300 problems');
    expect(ledger.submits).to.have.length(0);
  });

  it('revokes, renews and rotates with the documented chaincode arguments', async function () {
    const { app, ledger } = newTestApp();
    const created = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(201);
    const id = created.body.attestation.id as string;

    const renewed = await request(app).post(`/v1/attestations/${id}/renew`).set('x-api-key', CERTIFIER_KEY).send({ expiresAt: '2028-01-01T00:00:00Z' }).expect(200);
    expect(renewed.body.attestation.expiresAt).to.equal('2028-01-01T00:00:00Z');

    const rotated = await request(app)
      .post(`/v1/attestations/${id}/rotate`)
      .set('x-api-key', CERTIFIER_KEY)
      .send({ newSubject: NEW_SUBJECT, oldKeySignature: sig, newKeySignature: sig })
      .expect(200);
    expect(rotated.body.attestation.subject).to.equal(NEW_SUBJECT);

    const revoked = await request(app).post(`/v1/attestations/${rotated.body.attestation.id}/revoke`).set('x-api-key', CERTIFIER_KEY).send({ reason: 'ERASED' }).expect(200);
    expect(revoked.body.attestation).to.deep.include({ status: 'revoked', revocation: { reason: 'ERASED', at: '2026-06-01T00:00:00Z' } });

    expect(ledger.submits.slice(1).map((c) => [c.fn, c.args[0] === id])).to.deep.equal([
      ['attestation:renew', true],
      ['attestation:rotate', true],
      ['attestation:revoke', false],
    ]);
    expect(ledger.submits[1]?.args).to.deep.equal([id, '2028-01-01T00:00:00Z']);
    expect(JSON.parse(ledger.submits[2]?.args[1] as string)).to.deep.equal({ newKeySignature: sig, newSubject: NEW_SUBJECT, oldKeySignature: sig });
    expect(ledger.submits[3]?.args[1]).to.equal('ERASED');
  });

  it('maps the chaincode\'s NOT_FOUND and ATTESTATION_NOT_ACTIVE to 404 and 422', async function () {
    const { app } = newTestApp();
    const missing = await request(app).post(`/v1/attestations/${'0'.repeat(64)}/revoke`).set('x-api-key', CERTIFIER_KEY).send({ reason: 'FRAUD' }).expect(404);
    expect(missing.body).to.include({ code: 'NOT_FOUND', detail: `no attestation ${'0'.repeat(64)}` });
    expect(missing.body.details).to.deep.equal({ id: '0'.repeat(64) });
    const created = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(201);
    const id = created.body.attestation.id as string;
    await request(app).post(`/v1/attestations/${id}/revoke`).set('x-api-key', CERTIFIER_KEY).send({ reason: 'FRAUD' }).expect(200);
    const again = await request(app).post(`/v1/attestations/${id}/revoke`).set('x-api-key', CERTIFIER_KEY).send({ reason: 'FRAUD' }).expect(422);
    expect(again.body.code).to.equal('ATTESTATION_NOT_ACTIVE');
  });

  it('lists a subject\'s attestations by its normalised address', async function () {
    const { app, ledger } = newTestApp();
    await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(201);
    const res = await request(app).get('/v1/attestations').query({ subject: SUBJECT_LOWER }).set('x-api-key', CERTIFIER_KEY).expect(200);
    expect(res.body.subject).to.equal(SUBJECT);
    expect(res.body.attestations).to.have.length(1);
    expect(ledger.evaluates.at(-1)).to.deep.equal({ fn: 'attestation:listBySubject', args: [SUBJECT] });
  });

  it('needs a certifier API key: 401 without or with an unknown key, 403 with a key of another role', async function () {
    const { app, ledger, logs } = newTestApp();
    const none = await request(app).post('/v1/attestations').send(attestationInput()).expect(401);
    expect(none.body.code).to.equal('UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).to.equal('ApiKey header="x-api-key"');
    const wrong = await request(app).get('/v1/attestations').query({ subject: SUBJECT }).set('x-api-key', 'guess').expect(401);
    expect(wrong.body.detail).to.equal('the API key is not valid');

    // A bank key on a certifier gateway (the config normally refuses that; the route checks again).
    const mixed = newTestApp('certifier', { apiKeys: [{ id: 'teller', keyHash: hashApiKey(BANK_KEY), role: 'bank' }] });
    const forbidden = await request(mixed.app).post('/v1/attestations').set('x-api-key', BANK_KEY).send(attestationInput()).expect(403);
    expect(forbidden.body.code).to.equal('FORBIDDEN');
    expect(ledger.submits).to.have.length(0);
    expect(mixed.ledger.submits).to.have.length(0);
    await new Promise((r) => setImmediate(r));
    expect(logs.map((l) => (l.res as { statusCode: number }).statusCode)).to.deep.equal([401, 401]);
  });

  it('authenticates before reading the body: no key and a non-JSON body is 401, not 415', async function () {
    const { app } = newTestApp();
    const res = await request(app).post('/v1/attestations').set('content-type', 'text/plain').send('hello').expect(401);
    expect(res.body.code).to.equal('UNAUTHENTICATED');
  });

  it('passes ledger outages on as 503 and unknown chaincode codes as a logged 500', async function () {
    const { app, ledger, logs } = newTestApp();
    ledger.failNext('attestation:register', new GatewayError('UPSTREAM_UNAVAILABLE', 'the ledger did not answer'));
    const down = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(503);
    expect(down.body).to.include({ code: 'UPSTREAM_UNAVAILABLE', detail: 'the ledger did not answer' });

    ledger.failNext('attestation:register', new GatewayError('RULESET_FROM_THE_FUTURE', 'a code this gateway does not know', { transactionId: 'txF', details: { secret: 1 } }));
    const unknown = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(500);
    expect(unknown.body).to.include({ code: 'RULESET_FROM_THE_FUTURE', transactionId: 'txF', title: 'Unexpected error' });
    expect(unknown.body).not.to.have.property('details');
    expect(unknown.body.detail).to.contain(unknown.body.requestId);
    await new Promise((r) => setImmediate(r));
    expect(logs.some((l) => l.msg === 'error code missing from the error table; answered 500' && l.code === 'RULESET_FROM_THE_FUTURE')).to.equal(true);

    ledger.failNext('attestation:register', new TypeError('boom'));
    const crash = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(500);
    expect(crash.body.code).to.equal('INTERNAL');
    expect(JSON.stringify(crash.body)).not.to.contain('boom');
    expect(PROBLEM_CONTENT_TYPE).to.equal('application/problem+json');
  });
});
