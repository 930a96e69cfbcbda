import http from 'node:http';
import { expect } from 'chai';
import request from 'supertest';
import { BoundedRateLimitStore, DEFAULT_RATE_LIMIT, type RateLimitConfig } from '@kyc-ledger/gateway';
import { CERTIFIER_KEY, OTHER_CERTIFIER_KEY, SUBJECT, newTestApp } from './testApp';

const LIST = `/v1/attestations?subject=${encodeURIComponent(SUBJECT)}`;
const WINDOW_SECONDS = 600;

function limits(overrides: Partial<RateLimitConfig>): RateLimitConfig {
  return { ...DEFAULT_RATE_LIMIT, windowSeconds: WINDOW_SECONDS, ...overrides };
}

async function listening(overrides: Partial<RateLimitConfig>): Promise<{ server: http.Server; ledger: ReturnType<typeof newTestApp>['ledger'] }> {
  const { app, ledger } = newTestApp('certifier', { rateLimit: limits(overrides) });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, ledger };
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

function expectRateLimited(res: request.Response, scope: string): void {
  expect(res.status, res.text).to.equal(429);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter), `Retry-After ${res.headers['retry-after']}`).to.equal(true);
  expect(retryAfter).to.be.within(1, WINDOW_SECONDS);
  expect(res.body).to.include({ status: 429, code: 'RATE_LIMITED', type: 'urn:kyc-ledger:error:RATE_LIMITED' });
  expect(res.body.details).to.include({ scope, windowSeconds: WINDOW_SECONDS });
}

describe('gateway rate limits', function () {
  this.timeout(120_000);
  const servers: http.Server[] = [];
  afterEach(async function () {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  it('answers 1,000 requests over a key\'s limit 429 with Retry-After, while another key goes on', async function () {
    const { server, ledger } = await listening({ perKey: 100, perAddress: 100_000, anonymousPerAddress: 1 });
    servers.push(server);
    for (let i = 0; i < 100; i++) await request(server).get(LIST).set('x-api-key', CERTIFIER_KEY).expect(200);
    const readsBefore = ledger.evaluates.length;

    const statuses = new Map<number, number>();
    const sends = Array.from({ length: 1000 + 100 }, (_, i) => (i % 11 === 10 ? 'other' : 'over'));
    await pool(sends, 16, async (which) => {
      if (which === 'other') {
        const res = await request(server).get(LIST).set('x-api-key', OTHER_CERTIFIER_KEY);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, res.text).to.equal(200);
        return;
      }
      expectRateLimited(await request(server).get(LIST).set('x-api-key', CERTIFIER_KEY), 'apiKey');
    });
    expect(statuses.get(200)).to.equal(100);
    // Refused requests never reached the ledger; the other key's did.
    expect(ledger.evaluates.length - readsBefore).to.equal(100);
    // A body is not read once the key is over its limit.
    expectRateLimited(await request(server).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send({ any: 'thing' }), 'apiKey');
  });

  it('limits keyless requests per client address, public routes and unknown paths alike', async function () {
    const { server } = await listening({ anonymousPerAddress: 3, trustedProxyHops: 1 });
    servers.push(server);
    const from = (address: string) => ({ 'x-forwarded-for': address });
    await request(server).get('/v1/public/members').set(from('203.0.113.7')).expect(200);
    await request(server).get(`/v1/public/attestations/${SUBJECT}/status`).set(from('203.0.113.7')).expect(200);
    await request(server).get('/v1/public/nothing-here').set(from('203.0.113.7')).expect(404);
    for (let i = 0; i < 20; i++) expectRateLimited(await request(server).get('/v1/public/members').set(from('203.0.113.7')), 'anonymous');
    // A failed login counts as keyless, so keys cannot be guessed past the limit.
    expectRateLimited(await request(server).get(LIST).set(from('203.0.113.7')).set('x-api-key', 'not-a-key'), 'anonymous');
    // Other addresses, a valid key from the same address and the health checks are not affected.
    await request(server).get('/v1/public/members').set(from('203.0.113.8')).expect(200);
    await request(server).get('/v1/public/members').set(from('2001:db8:1::1')).expect(200);
    await request(server).get(LIST).set(from('203.0.113.7')).set('x-api-key', CERTIFIER_KEY).expect(200);
    await request(server).get('/livez').set(from('203.0.113.7')).expect(200);
    // One IPv6 client usually holds a whole /56: its addresses share one count.
    for (let i = 2; i <= 3; i++) await request(server).get('/v1/public/members').set(from(`2001:db8:1::${i}`)).expect(200);
    expectRateLimited(await request(server).get('/v1/public/members').set(from('2001:db8:1:ff::9')), 'anonymous');
  });

  it('counts operations routes per address in a bucket of their own', async function () {
    const { server } = await listening({ anonymousPerAddress: 2 });
    servers.push(server);
    await request(server).get('/livez').expect(200);
    await request(server).get('/metrics').expect(200);
    expectRateLimited(await request(server).get('/livez'), 'anonymous');
    await request(server).get('/v1/public/members').expect(200);
  });

  it('limits every request of one client address, keyed or not', async function () {
    const { server } = await listening({ perAddress: 4, perKey: 100, anonymousPerAddress: 100 });
    servers.push(server);
    await request(server).get(LIST).set('x-api-key', CERTIFIER_KEY).expect(200);
    await request(server).get(LIST).set('x-api-key', OTHER_CERTIFIER_KEY).expect(200);
    await request(server).get('/v1/public/members').expect(200);
    await request(server).get('/livez').expect(200);
    const res = await request(server).get(LIST).set('x-api-key', OTHER_CERTIFIER_KEY);
    expectRateLimited(res, 'address');
    expect(res.headers['ratelimit-policy']).to.contain('"address"');
  });

  it('lets browsers of an allowed origin read Retry-After', async function () {
    const { app } = newTestApp('certifier', { rateLimit: limits({ anonymousPerAddress: 1 }), cors: { enabled: true, origins: ['https://wallet.example'] } });
    await request(app).get('/v1/public/members').set('origin', 'https://wallet.example').expect(200);
    const res = await request(app).get('/v1/public/members').set('origin', 'https://wallet.example').expect(429);
    expect(res.headers['access-control-allow-origin']).to.equal('https://wallet.example');
    expect(res.headers['access-control-expose-headers']).to.contain('retry-after');
  });

  it('HEAD over the limit answers 429 without a body', async function () {
    const { server } = await listening({ anonymousPerAddress: 1 });
    servers.push(server);
    await request(server).head('/v1/public/members').expect(200);
    const res = await request(server).head('/v1/public/members').expect(429);
    expect(res.headers['retry-after']).to.match(/^[1-9][0-9]*$/);
    expect(res.text ?? '').to.equal('');
  });
});

describe('BoundedRateLimitStore', function () {
  it('counts fixed windows and starts a new one when the window has passed', function () {
    let now = 1_000_000;
    const store = new BoundedRateLimitStore(100, () => now);
    store.init({ windowMs: 10_000 } as never);
    expect(store.increment('a')).to.deep.equal({ totalHits: 1, resetTime: new Date(1_010_000) });
    now += 9_999;
    expect(store.increment('a').totalHits).to.equal(2);
    store.decrement('a');
    expect(store.get('a')?.totalHits).to.equal(1);
    now += 1;
    expect(store.get('a')).to.equal(undefined);
    expect(store.increment('a')).to.deep.equal({ totalHits: 1, resetTime: new Date(1_020_000) });
  });

  it('never remembers more than maxClients clients, forgetting the least recently seen', function () {
    const store = new BoundedRateLimitStore(100);
    store.init({ windowMs: 60_000 } as never);
    for (let i = 0; i < 10_000; i++) store.increment(`client-${i}`);
    expect(store.size).to.equal(100);
    expect(store.get('client-0')).to.equal(undefined);
    expect(store.get('client-9999')?.totalHits).to.equal(1);
  });
});
