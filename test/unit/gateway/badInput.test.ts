import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { BULK_BODY_LIMIT, DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT, MAX_BULK_ITEMS } from '@kyc-ledger/gateway';
import {
  WRONG_CONTENT_TYPES,
  int,
  invalidUtf8Body,
  junkString,
  mutateBody,
  pick,
  rawBadBody,
  seededRng,
  wrongKey,
  type MalformedRequest,
  type Rng,
} from './malformedRequests';
import { CERTIFIER_KEY, NEW_SUBJECT, SUBJECT, attestationInput, newTestApp } from './testApp';

const PER_ENDPOINT = Number(process.env.KYC_FUZZ_PER_ENDPOINT ?? 1000);
const SEED = Number(process.env.KYC_FUZZ_SEED ?? 20260601);
const CONCURRENCY = 16;
const ID = 'a1'.repeat(32);
const sig = { scheme: 'eip191', signature: `0x${'ef'.repeat(65)}` };

interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  /** Path with valid parameters. */
  path: string;
  /** How to put a bad value where the path parameter goes (undefined: no parameter). */
  pathWith?: (param: string) => string;
  /** A valid body (POST) or query (GET). */
  valid?: () => unknown;
  query?: Record<string, string>;
  authenticated: boolean;
  bodyLimit?: number;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /v1/attestations', method: 'POST', path: '/v1/attestations', valid: () => attestationInput(), authenticated: true },
  {
    name: 'POST /v1/attestations/bulk', method: 'POST', path: '/v1/attestations/bulk', authenticated: true, bodyLimit: BULK_BODY_LIMIT,
    valid: () => ({ items: [attestationInput(), attestationInput({ commitmentRoot: 'c3'.repeat(32), subject: NEW_SUBJECT })] }),
  },
  { name: 'POST /v1/attestations/:id/revoke', method: 'POST', path: `/v1/attestations/${ID}/revoke`, pathWith: (p) => `/v1/attestations/${p}/revoke`, valid: () => ({ reason: 'ERASED' }), authenticated: true },
  { name: 'POST /v1/attestations/:id/renew', method: 'POST', path: `/v1/attestations/${ID}/renew`, pathWith: (p) => `/v1/attestations/${p}/renew`, valid: () => ({ expiresAt: '2028-01-01T00:00:00Z' }), authenticated: true },
  {
    name: 'POST /v1/attestations/:id/rotate', method: 'POST', path: `/v1/attestations/${ID}/rotate`, pathWith: (p) => `/v1/attestations/${p}/rotate`,
    valid: () => ({ newSubject: NEW_SUBJECT, oldKeySignature: sig, newKeySignature: { ...sig, webauthn: { authenticatorData: 'AA', clientDataJSON: 'BB' } } }), authenticated: true,
  },
  { name: 'GET /v1/attestations', method: 'GET', path: '/v1/attestations', query: { subject: SUBJECT }, authenticated: true },
  {
    name: 'GET /v1/public/attestations/:subject/status', method: 'GET', path: `/v1/public/attestations/${SUBJECT}/status`,
    pathWith: (p) => `/v1/public/attestations/${p}/status`, query: { at: '2027-01-01T00:00:00Z' }, authenticated: false,
  },
  { name: 'GET /v1/public/members', method: 'GET', path: '/v1/public/members', authenticated: false },
];

const BAD_IDS = ['A1'.repeat(32), 'a1'.repeat(31), 'a1'.repeat(33), 'g'.repeat(64), `0x${'a1'.repeat(31)}`, '%2F..%2Fetc', '%ZZ', '%00', '%E0%A4%A', 'x'.repeat(5000), '%20', encodeURIComponent('ä'.repeat(64))];
const BAD_SUBJECTS = ['eip155:1:0x1234', 'EIP155:1:0x00', 'eip155:01:0xab5801a7d398351b8be11c439e05c5b3259aec9b', 'cosmos:hub:abc', 'eip155:1:0xAB5801a7D398351b8bE11C439e05C5B3259aeC9B', '%ZZ', 'x'.repeat(3000)];
const BAD_TIMES = ['yesterday', '2027-02-30T00:00:00Z', '2027-01-01', '2027-01-01T00:00:00+00:00', '', 'x'.repeat(2000)];

function withQuery(path: string, query: Record<string, string | string[]> | string): string {
  if (typeof query === 'string') return `${path}?${query}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function keyHeaders(key: string | undefined): Record<string, string> {
  return key === undefined ? {} : { 'x-api-key': key };
}

/** One malformed request for `endpoint`. */
function malformed(rng: Rng, endpoint: Endpoint): MalformedRequest {
  const goodKey: Record<string, string> = endpoint.authenticated ? { 'x-api-key': CERTIFIER_KEY } : {};
  const json: Record<string, string> = { ...goodKey, 'content-type': 'application/json' };
  const base = endpoint.query ? withQuery(endpoint.path, endpoint.query) : endpoint.path;
  const roll = rng();

  if (roll < 0.05) {
    const method = pick(rng, endpoint.method === 'GET' ? ['PUT', 'PATCH', 'DELETE'] : ['GET', 'PUT', 'PATCH', 'DELETE']);
    // GET on /v1/attestations/bulk or /:id/x is 405; GET /v1/attestations exists only with a query.
    const ok = !(method === 'GET' && endpoint.path === '/v1/attestations');
    if (ok) return { kind: 'method', method, path: base, headers: json, body: endpoint.valid ? JSON.stringify(endpoint.valid()) : undefined, status: 405 };
  }
  if (roll < 0.1) {
    const suffix = pick(rng, ['/x', '/../../etc/passwd', '//', '/%2e%2e', `/${junkString(rng).replace(/[^a-z]/g, '') || 'zz'}`]);
    return { kind: 'path', method: endpoint.method, path: `${endpoint.path}${suffix}`, headers: json, body: endpoint.valid ? JSON.stringify(endpoint.valid()) : undefined };
  }
  if (endpoint.authenticated && roll < 0.22) {
    return { kind: 'auth', method: endpoint.method, path: base, headers: { ...keyHeaders(wrongKey(rng, CERTIFIER_KEY)), 'content-type': 'application/json' }, body: endpoint.valid ? JSON.stringify(endpoint.valid()) : undefined, status: 401 };
  }
  if (endpoint.pathWith && roll < 0.32) {
    const bad = endpoint.name.includes(':subject') ? pick(rng, [...BAD_SUBJECTS, encodeURIComponent(junkString(rng))]) : pick(rng, [...BAD_IDS, encodeURIComponent(junkString(rng))]);
    return { kind: 'param', method: endpoint.method, path: withQuery(endpoint.pathWith(bad), endpoint.query ?? {}), headers: json, body: endpoint.valid ? JSON.stringify(endpoint.valid()) : undefined };
  }

  if (endpoint.method === 'GET') {
    if (endpoint.name === 'GET /v1/public/members') {
      // Members takes no input: only method and path can be wrong.
      return { kind: 'method', method: pick(rng, ['POST', 'PUT', 'PATCH', 'DELETE']), path: endpoint.path, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ members: [] }), status: 405 };
    }
    const query = { ...(endpoint.query ?? {}) } as Record<string, string | string[]>;
    const field = Object.keys(query)[0] as string;
    const variant = int(rng, 5);
    if (variant === 0 && endpoint.name === 'GET /v1/attestations') delete query[field];
    else if (variant === 1) query[field] = [query[field] as string, query[field] as string];
    else if (variant === 2) {
      // defineProperty: a plain assignment to __proto__ would set the prototype instead of a key.
      Object.defineProperty(query, pick(rng, ['extra', 'subject2', '__proto__', 'Subject', 'at ']), { value: junkString(rng), enumerable: true });
    }
    else query[field] = field === 'at' ? pick(rng, [...BAD_TIMES, junkString(rng)]) : pick(rng, [...BAD_SUBJECTS, junkString(rng)]);
    return { kind: 'query', method: 'GET', path: withQuery(endpoint.path, query), headers: goodKey, status: 400 };
  }

  const valid = (endpoint.valid as () => unknown)();
  if (roll < 0.42) {
    const contentType = pick(rng, [...WRONG_CONTENT_TYPES, undefined]);
    const headers: Record<string, string> = { ...goodKey, ...(contentType ? { 'content-type': contentType } : {}) };
    return { kind: 'content-type', method: 'POST', path: base, headers, body: Buffer.from(JSON.stringify(valid)), status: 415 };
  }
  if (roll < 0.45) {
    return { kind: 'content-encoding', method: 'POST', path: base, headers: { ...json, 'content-encoding': pick(rng, ['gzip', 'deflate', 'br', 'compress', 'x-nonsense']) }, body: JSON.stringify(valid) };
  }
  if (roll < 0.5) {
    return { kind: 'utf8', method: 'POST', path: base, headers: json, body: invalidUtf8Body(rng, valid), status: 415 };
  }
  if (roll < 0.6) {
    return { kind: 'raw', method: 'POST', path: base, headers: json, body: rawBadBody(rng, valid) };
  }
  if (roll < 0.61) {
    const limit = endpoint.bodyLimit ?? DEFAULT_BODY_LIMIT;
    return { kind: 'oversize', method: 'POST', path: base, headers: json, body: JSON.stringify({ pad: 'x'.repeat(limit) }), status: 413 };
  }
  const body = JSON.stringify(mutateBody(rng, valid));
  const limit = endpoint.bodyLimit ?? DEFAULT_BODY_LIMIT;
  return { kind: 'mutation', method: 'POST', path: base, headers: json, body, status: Buffer.byteLength(body) > limit ? 413 : 400 };
}

async function send(server: http.Server, r: MalformedRequest): Promise<request.Response> {
  const agent = request(server) as unknown as Record<string, (path: string) => request.Test>;
  const test = (agent[r.method.toLowerCase()] as (path: string) => request.Test)(r.path);
  for (const [name, value] of Object.entries(r.headers)) test.set(name, value);
  // superagent would send a Buffer under a JSON content type as {"type":"Buffer","data":[…]}.
  if (Buffer.isBuffer(r.body)) test.serialize((raw: unknown) => raw as string);
  return r.body === undefined ? test : test.send(r.body as never);
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

describe('gateway bad input (generated malformed requests)', function () {
  this.timeout(300_000);
  let server: http.Server;
  let ledger: ReturnType<typeof newTestApp>['ledger'];

  beforeEach(async function () {
    // Thousands of keyless requests from one address: raise that limit (its own test is rateLimiting).
    const built = newTestApp('certifier', { rateLimit: { ...DEFAULT_RATE_LIMIT, anonymousPerAddress: 1_000_000 } });
    ledger = built.ledger;
    server = http.createServer(built.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    expect((server.address() as AddressInfo).port).to.be.greaterThan(0);
  });

  afterEach(async function () {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  ENDPOINTS.forEach((endpoint, index) => {
    it(`${endpoint.name}: ${PER_ENDPOINT} malformed requests, all coded 4xx problems, no ledger call`, async function () {
      const rng = seededRng(SEED + index);
      const cases = Array.from({ length: PER_ENDPOINT }, () => malformed(rng, endpoint));
      const failures: string[] = [];
      const kinds = new Map<string, number>();
      await pool(cases, CONCURRENCY, async (r) => {
        kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
        const res = await send(server, r);
        const body = res.body as { code?: unknown; requestId?: unknown; status?: unknown };
        const problems: string[] = [];
        if (res.status < 400 || res.status >= 500) problems.push(`status ${res.status}`);
        if (r.status !== undefined && res.status !== r.status) problems.push(`status ${res.status}, expected ${r.status}`);
        if (!String(res.headers['content-type']).startsWith('application/problem+json')) problems.push(`content-type ${res.headers['content-type']}`);
        if (typeof body.code !== 'string' || !/^[A-Z][A-Z_]+$/.test(body.code)) problems.push(`code ${String(body.code)}`);
        if (body.status !== res.status || typeof body.requestId !== 'string') problems.push('problem members');
        if (problems.length > 0 && failures.length < 10) {
          const shown = typeof r.body === 'string' ? r.body.slice(0, 300) : r.body?.toString('hex').slice(0, 100);
          failures.push(`${r.kind} ${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers)} ${shown}: ${problems.join('; ')} ${res.text.slice(0, 300)}`);
        }
      });
      expect(failures, `seed ${SEED + index}:\n${failures.join('\n')}`).to.deep.equal([]);
      expect(ledger.submits, 'ledger writes').to.deep.equal([]);
      expect(ledger.evaluates, 'ledger reads').to.deep.equal([]);
      // Every kind of fault the endpoint can have was produced.
      expect(kinds.size, [...kinds.keys()].join(',')).to.be.at.least(endpoint.method === 'POST' ? 8 : endpoint.name.includes('members') ? 2 : 4);
    });
  });

  it('unknown routes: random paths and methods are 404/405 problems', async function () {
    const rng = seededRng(SEED - 1);
    const cases = Array.from({ length: PER_ENDPOINT }, (): MalformedRequest => {
      const segments = Array.from({ length: 1 + int(rng, 4) }, () => encodeURIComponent(junkString(rng, 12)));
      return { kind: 'unknown', method: pick(rng, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']), path: `/${pick(rng, ['', 'v1/', 'v2/', 'v1/public/'])}${segments.join('/')}`, headers: { 'x-api-key': CERTIFIER_KEY } };
    });
    const statuses = new Set<number>();
    await pool(cases, CONCURRENCY, async (r) => {
      const res = await send(server, r);
      statuses.add(res.status);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body.code).to.be.oneOf(['NOT_FOUND', 'METHOD_NOT_ALLOWED']);
    });
    expect([...statuses]).to.have.members([404]);
    expect(ledger.submits).to.deep.equal([]);
  });

  it(`bulk above ${MAX_BULK_ITEMS} items and bodies above the bulk limit write nothing`, async function () {
    const items = Array.from({ length: MAX_BULK_ITEMS + 1 }, (_, i) => attestationInput({ commitmentRoot: i.toString(16).padStart(64, '0') }));
    const tooMany = await request(server).post('/v1/attestations/bulk').set('x-api-key', CERTIFIER_KEY).send({ items }).expect(400);
    expect(tooMany.body.code).to.equal('VALIDATION_FAILED');
    const huge = JSON.stringify({ items: [attestationInput({ pad: 'x'.repeat(BULK_BODY_LIMIT) })] });
    const tooLarge = await request(server).post('/v1/attestations/bulk').set('x-api-key', CERTIFIER_KEY).set('content-type', 'application/json').send(huge).expect(413);
    expect(tooLarge.body.code).to.equal('PAYLOAD_TOO_LARGE');
    expect(ledger.submits).to.deep.equal([]);
  });
});
