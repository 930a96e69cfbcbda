import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { buildConsentStatement, commitFields, createDisclosure, decodeSessionUri, generateKey, signStatement, type BankSession } from '@kyc-ledger/crypto';
import { APP_CLOSING_EVENT, createApp, createGatewayLogger, newGatewayMetrics, type AppConfig } from '@kyc-ledger/gateway';
import { sessionStatusReader } from '@kyc-ledger/gateway/dist/sessionStatus';
import { SessionStore } from '@kyc-ledger/gateway/dist/sessionStore';
import { createTestBank } from '../../support/bankPki';
import { FakeLedgerClient } from './fakeLedgerClient';
import { appConfig, BANK_KEY } from './testApp';

const FIELDS = { givenName: 'Anna', familyName: 'Meier', birthDate: '1991-02-03', nationality: 'CH' };
const WALLET_URL = 'http://127.0.0.1:17010/app/wallet/';

function counterApp(overrides: Partial<AppConfig> = {}, pki = createTestBank()) {
  const ledger = new FakeLedgerClient();
  const app = createApp({
    config: appConfig('bank', overrides),
    ledger,
    logger: createGatewayLogger({ level: 'silent' }),
    metrics: newGatewayMetrics({ defaultMetrics: false }),
    sessionSigner: { certificatePem: pki.user.certificatePem, privateKeyPem: pki.user.privateKeyPem },
  });
  const key = generateKey('ed25519');
  const commitment = commitFields(FIELDS);
  const attestationId = 'a7'.repeat(32);
  ledger.attestations.set(attestationId, {
    id: attestationId, subject: key.accountId, certifier: 'Certifier1MSP', commitmentRoot: commitment.root, claimTopics: ['identity'],
    fieldNames: Object.keys(FIELDS).sort(), status: 'active', expiresAt: '2030-01-01T00:00:00Z',
  } as never);
  const consent = (session: BankSession) => {
    const statement = buildConsentStatement(session, { attestationId, address: key.accountId });
    return { consent: statement, signature: signStatement(statement, key), disclosure: createDisclosure(commitment, session.fields), session };
  };
  return { app, ledger, consent, pki };
}

type App = ReturnType<typeof counterApp>['app'];

async function openSession(app: App, ttlSeconds?: number): Promise<{ session: BankSession; body: Record<string, unknown> }> {
  const res = await request(app).post('/v1/sessions').set('x-api-key', BANK_KEY).send({ fields: ['familyName', 'givenName'], claimTopics: ['identity'], ...(ttlSeconds && { ttlSeconds }) }).expect(201);
  return { session: decodeSessionUri(res.body.uri as string), body: res.body as Record<string, unknown> };
}

interface Followed {
  events: { event: string; data: Record<string, unknown> }[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once `n` events arrived. */
  waitFor(n: number): Promise<void>;
  close(): void;
}

/** Listens on an ephemeral port and follows a session's events with fetch, as the counter page does. */
async function follow(app: App, sessionId: string, apiKey = BANK_KEY): Promise<{ status: number; followed?: Followed; body?: unknown; stop(): void }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const controller = new AbortController();
  const stop = () => {
    controller.abort();
    server.closeAllConnections();
    server.close();
  };
  const response = await fetch(`http://127.0.0.1:${port}/v1/sessions/${sessionId}/events`, { headers: { 'x-api-key': apiKey, accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.ok || !response.body) return { status: response.status, body: await response.json(), stop };
  expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
  const events: Followed['events'] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          for (const w of waiters.filter((x) => events.length >= x.n)) w.resolve();
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  const waitFor = (n: number) => (events.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })));
  return { status: 200, followed: { events, ended, waitFor, close: () => controller.abort() }, stop };
}

describe('gateway bank counter routes: live follow, refusal, recent verifications, wallet link', function () {
  this.timeout(30_000);

  it('streams the status at once, then the verdict, then ends; unknown sessions are 404 and other keys refused', async function () {
    const { app, consent, ledger } = counterApp();
    const { session } = await openSession(app);
    const live = await follow(app, session.sessionId);
    try {
      const followed = live.followed;
      if (!followed) throw new Error(`no stream: ${JSON.stringify(live.body)}`);
      await followed.waitFor(1);
      expect(followed.events[0]).to.deep.include({ event: 'status' });
      expect(followed.events[0]?.data).to.include({ sessionId: session.sessionId, state: 'open', expiresAt: session.expiresAt });
      const evaluatesBefore = ledger.evaluates.length;
      await request(app).post('/v1/sessions/submissions').send(consent(session)).expect(200);
      await followed.ended;
      const last = followed.events.at(-1)?.data;
      expect(last).to.nested.include({ state: 'verified', 'verdict.verified': true, 'verdict.fields.givenName': 'Anna', verdictSource: 'memory' });
      // The same body as GET /v1/sessions/:id.
      const status = await request(app).get(`/v1/sessions/${session.sessionId}`).set('x-api-key', BANK_KEY).expect(200);
      expect(last).to.deep.equal(status.body);
      // Every state change arrives in order, none twice.
      expect(followed.events.map((e) => e.data['state'])).to.deep.equal(['open', 'pending', 'verified']);
      // The stream itself read nothing from the ledger (only the verification did).
      expect(ledger.evaluates.slice(evaluatesBefore).map((c) => c.fn)).to.not.include('consent:get');
    } finally {
      live.stop();
    }
    const unknown = await follow(app, 'A'.repeat(22));
    unknown.stop();
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.include({ code: 'NOT_FOUND' });
    await request(app).get(`/v1/sessions/${session.sessionId}/events`).expect(401);
    await request(app).get('/v1/sessions/not-an-id/events').set('x-api-key', BANK_KEY).expect(400);
  });

  it('ends at once for a final session and caps the open streams per API key with 429 RATE_LIMITED', async function () {
    const { app } = counterApp();
    const { session } = await openSession(app);
    const refused = await request(app).post('/v1/sessions/refusals').send({ session }).expect(200);
    expect(refused.body).to.include({ sessionId: session.sessionId, state: 'refused' });
    const done = await follow(app, session.sessionId);
    await done.followed?.ended;
    done.stop();
    expect(done.followed?.events.map((e) => e.data['state'])).to.deep.equal(['refused']);

    const { session: open } = await openSession(app);
    const streams = [];
    try {
      for (let i = 0; i < 20; i++) streams.push(await follow(app, open.sessionId));
      expect(streams.every((s) => s.status === 200)).to.equal(true);
      const over = await follow(app, open.sessionId);
      over.stop();
      expect(over.status).to.equal(429);
      expect(over.body).to.include({ code: 'RATE_LIMITED' });
      // A gateway shutting down ends every open stream.
      app.emit(APP_CLOSING_EVENT);
      await Promise.all(streams.map((s) => s.followed?.ended));
    } finally {
      streams.forEach((s) => s.stop());
    }
    // Closed streams are counted off: a new one is taken again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await follow(app, open.sessionId);
    again.stop();
    expect(again.status).to.equal(200);
  });

  it('counts off the stream of a client that goes: its slot is taken again', async function () {
    const { app } = counterApp();
    const { session } = await openSession(app);
    const streams = [];
    for (let i = 0; i < 20; i++) streams.push(await follow(app, session.sessionId));
    expect(streams.every((s) => s.status === 200)).to.equal(true);
    // The clients go away (closing the tab): no shutdown, no final state.
    streams.forEach((s) => s.followed?.close());
    const deadline = Date.now() + 5_000;
    let again = await follow(app, session.sessionId);
    while (again.status === 429 && Date.now() < deadline) {
      again.stop();
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await follow(app, session.sessionId);
    }
    again.stop();
    streams.forEach((s) => s.stop());
    expect(again.status).to.equal(200);
  });

  it('still answers the verdict when the recent verifications file cannot be written', async function () {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-recent-'));
    try {
      const { app, consent } = counterApp({ dataDir });
      // After the start, a directory where the file should be: every append fails (EISDIR), as a full disk would.
      mkdirSync(path.join(dataDir, 'recent-verifications.jsonl'));
      const { session } = await openSession(app);
      const answer = await request(app).post('/v1/sessions/submissions').send(consent(session)).expect(200);
      expect(answer.body).to.include({ verified: true });
      const listed = await request(app).get('/v1/verifications').set('x-api-key', BANK_KEY).expect(200);
      expect(listed.body.verifications.map((v: { sessionId: string }) => v.sessionId)).to.deep.equal([session.sessionId]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('takes a refusal once: the session is refused and final, a later submission is 409 saying so; bad bodies change nothing', async function () {
    const { app, consent, ledger, pki } = counterApp();
    const { session } = await openSession(app);
    const bad = [
      {},
      { session: 'x' },
      { session: { ...session, sessionId: 'short' } },
      { session, extra: 1 },
    ];
    for (const body of bad) {
      const res = await request(app).post('/v1/sessions/refusals').send(body).expect(400);
      expect(res.body).to.include({ code: 'VALIDATION_FAILED' });
    }
    const tampered = await request(app).post('/v1/sessions/refusals').send({ session: { ...session, fields: ['givenName'] } }).expect(422);
    expect(tampered.body).to.include({ code: 'INVALID_SIGNATURE' });
    const otherBank = await request(app).post('/v1/sessions/refusals').send({ session: { ...session, bank: { mspId: 'Bank2MSP', name: 'Bank Two' } } }).expect(404);
    expect(otherBank.body).to.include({ code: 'NOT_FOUND' });
    await request(app).post('/v1/sessions/refusals').set('content-type', 'text/plain').send('x').expect(415);
    // None of them touched the session.
    expect((await request(app).get(`/v1/sessions/${session.sessionId}`).set('x-api-key', BANK_KEY).expect(200)).body).to.include({ state: 'open' });

    await request(app).post('/v1/sessions/refusals').send({ session }).expect(200);
    const twice = await request(app).post('/v1/sessions/refusals').send({ session }).expect(409);
    expect(twice.body).to.nested.include({ code: 'SESSION_ALREADY_USED', 'details.reason': 'SESSION_REFUSED' });
    const late = await request(app).post('/v1/sessions/submissions').send(consent(session)).expect(409);
    expect(late.body).to.nested.include({ code: 'SESSION_ALREADY_USED', 'details.reason': 'SESSION_REFUSED' });
    expect(late.body.detail).to.contain('refused');
    expect(ledger.receipts).to.have.length(0);
    const status = await request(app).get(`/v1/sessions/${session.sessionId}`).set('x-api-key', BANK_KEY).expect(200);
    expect(status.body).to.include({ state: 'refused' });
    expect(status.body.refusedAt).to.be.a('string');

    // A used session cannot be refused; another instance of the same bank takes a refusal of a session it did not create.
    const { session: used } = await openSession(app);
    await request(app).post('/v1/sessions/submissions').send(consent(used)).expect(200);
    expect((await request(app).post('/v1/sessions/refusals').send({ session: used }).expect(409)).body).to.include({ code: 'SESSION_ALREADY_USED' });
    const sibling = counterApp({}, pki);
    const { session: elsewhere } = await openSession(app);
    await request(sibling.app).post('/v1/sessions/refusals').send({ session: elsewhere }).expect(200);
    expect((await request(sibling.app).get(`/v1/sessions/${elsewhere.sessionId}`).set('x-api-key', BANK_KEY).expect(200)).body).to.include({ state: 'refused' });
  });

  it('ends the stream with expired when the session expires, after one ledger read for a receipt taken elsewhere', async function () {
    let offset = 0;
    const pki = createTestBank();
    const ledger = new FakeLedgerClient();
    const app = createApp({
      config: appConfig('bank'), ledger, logger: createGatewayLogger({ level: 'silent' }), metrics: newGatewayMetrics({ defaultMetrics: false }),
      sessionSigner: { certificatePem: pki.user.certificatePem, privateKeyPem: pki.user.privateKeyPem }, now: () => new Date(Date.now() + offset),
    });
    const { session } = await openSession(app, 30);
    const live = await follow(app, session.sessionId);
    try {
      await live.followed?.waitFor(1);
      // The clock jumps to a second before expiry: the stream's next look finds it expired.
      offset = 29_000;
      const before = ledger.evaluates.length;
      await live.followed?.ended;
      expect(live.followed?.events.map((e) => e.data['state'])).to.deep.equal(['open', 'expired']);
      expect(ledger.evaluates.slice(before).map((c) => c.fn)).to.deep.equal(['consent:get']);
    } finally {
      live.stop();
    }
  });

  it('reports a session refused at a sibling instance as refused, without asking the ledger', async function () {
    const ledger = new FakeLedgerClient();
    const refusedAt = '2026-06-01T10:00:00.000Z';
    const read = sessionStatusReader({
      store: new SessionStore(600_000, () => new Date()), ledger, now: () => new Date(),
      siblings: async (id) => (id === 'S'.repeat(22) ? { verified: false, reasons: [{ code: 'REFUSED', message: 'refused' }], decidedAt: refusedAt, refusedAt } : undefined),
    });
    expect(await read('S'.repeat(22), { ledger: false })).to.deep.equal({ sessionId: 'S'.repeat(22), state: 'refused', refusedAt });
    expect(await read('S'.repeat(22))).to.deep.equal({ sessionId: 'S'.repeat(22), state: 'refused', refusedAt });
    expect(ledger.evaluates).to.deep.equal([]);
  });

  it('answers a coded INVALID_CONFIG, not a bare 500, when its own signing certificate is not valid at its clock', async function () {
    const pki = createTestBank();
    const app = createApp({
      config: appConfig('bank'), ledger: new FakeLedgerClient(), logger: createGatewayLogger({ level: 'silent' }), metrics: newGatewayMetrics({ defaultMetrics: false }),
      sessionSigner: { certificatePem: pki.user.certificatePem, privateKeyPem: pki.user.privateKeyPem }, now: () => new Date(Date.now() - 86_400_000),
    });
    const res = await request(app).post('/v1/sessions').set('x-api-key', BANK_KEY).send({ fields: ['givenName'] }).expect(500);
    // The detail stays in the gateway's log (a 5xx names no internals); the code tells the operator where to look.
    expect(res.body).to.include({ code: 'INVALID_CONFIG' });
  });

  it('refuses an expired session with SESSION_EXPIRED', async function () {
    // The certificate first: it is valid from the second it was made, so the clock must not be older.
    const pki = createTestBank();
    let now = new Date();
    const ledger = new FakeLedgerClient();
    const app = createApp({
      config: appConfig('bank'), ledger, logger: createGatewayLogger({ level: 'silent' }), metrics: newGatewayMetrics({ defaultMetrics: false }),
      sessionSigner: { certificatePem: pki.user.certificatePem, privateKeyPem: pki.user.privateKeyPem }, now: () => now,
    });
    const { session } = await openSession(app, 30);
    now = new Date(now.getTime() + 31_000);
    expect((await request(app).post('/v1/sessions/refusals').send({ session }).expect(422)).body).to.include({ code: 'SESSION_EXPIRED' });
  });

  it('lists recent verdicts newest first with limit, no disclosed values, kept in the data dir across a restart', async function () {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-recent-'));
    try {
      const pki = createTestBank();
      const { app, consent } = counterApp({ dataDir }, pki);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { session } = await openSession(app);
        ids.push(session.sessionId);
        if (i === 1) await request(app).post('/v1/sessions/refusals').send({ session }).expect(200);
        else await request(app).post('/v1/sessions/submissions').send(consent(session)).expect(200);
      }
      const all = await request(app).get('/v1/verifications').set('x-api-key', BANK_KEY).expect(200);
      const list = all.body.verifications as Record<string, unknown>[];
      expect(list.map((v) => v['sessionId'])).to.deep.equal([...ids].reverse());
      expect(list.map((v) => v['state'])).to.deep.equal(['verified', 'refused', 'verified']);
      expect(list[0]).to.include({ verified: true });
      expect(list[0]?.['receiptTransactionId']).to.be.a('string');
      expect(list[0]?.['attestationId']).to.equal('a7'.repeat(32));
      expect(list[1]).to.deep.include({ reasons: ['REFUSED'], verified: false });
      expect(JSON.stringify(all.body)).to.not.contain('Anna').and.not.contain('Meier');
      const address = list[0]?.['address'];
      expect(address).to.be.a('string');
      // On disk: no disclosed value and no address (the gateway persists no personal data).
      const file = readFileSync(path.join(dataDir, 'recent-verifications.jsonl'), 'utf8');
      expect(file).to.not.contain('Anna');
      expect(file).to.contain(ids[0] as string).and.not.contain(address as string);
      const one = await request(app).get('/v1/verifications?limit=1').set('x-api-key', BANK_KEY).expect(200);
      expect(one.body.verifications.map((v: { sessionId: string }) => v.sessionId)).to.deep.equal([ids[2]]);
      for (const limit of ['0', '101', 'x', '-1', '1.5']) {
        expect((await request(app).get(`/v1/verifications?limit=${limit}`).set('x-api-key', BANK_KEY).expect(400)).body).to.include({ code: 'VALIDATION_FAILED' });
      }
      await request(app).get('/v1/verifications?other=1').set('x-api-key', BANK_KEY).expect(400);
      await request(app).get('/v1/verifications').expect(401);
      // A new instance on the same data dir lists them still.
      const restarted = counterApp({ dataDir }, pki);
      const after = await request(restarted.app).get('/v1/verifications').set('x-api-key', BANK_KEY).expect(200);
      expect(after.body).to.deep.equal({ verifications: list.map(({ address: _a, ...rest }) => rest) });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers walletLink (the wallet URL with the uri as fragment) and puts it, not the bare uri, in the QR code', async function () {
    const plain = counterApp();
    const without = await openSession(plain.app);
    expect(without.body).to.not.have.property('walletLink');
    const { app } = counterApp({ walletUrl: WALLET_URL });
    const res = await request(app).post('/v1/sessions?qr=svg').set('x-api-key', BANK_KEY).send({ fields: ['givenName'] }).expect(201);
    const { uri, walletLink } = res.body as { uri: string; walletLink: string };
    expect(walletLink).to.equal(`${WALLET_URL}#${uri}`);
    expect(decodeSessionUri(walletLink.slice(walletLink.indexOf('#') + 1)).sessionId).to.equal(res.body.sessionId);
    const svg = (res.body as { qr: { svg: string } }).qr.svg;
    expect(svg).to.match(/^<svg/);
    // QR rendering is deterministic: the image is exactly that of the link, not of the bare uri.
    const QRCode = (await import('qrcode')).default;
    expect(svg).to.equal(await QRCode.toString(walletLink, { type: 'svg', errorCorrectionLevel: 'M' }));
    expect(svg).to.not.equal(await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M' }));
    const png = await request(app).post('/v1/sessions?qr=png').set('x-api-key', BANK_KEY).send({ fields: ['givenName'] }).expect(201);
    expect(png.body.qr.pngDataUrl).to.match(/^data:image\/png;base64,/);
    expect(png.body.walletLink).to.equal(`${WALLET_URL}#${png.body.uri}`);
  });
});
