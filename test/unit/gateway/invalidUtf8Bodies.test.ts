import { expect } from 'chai';
import request from 'supertest';
import { hashApiKey, type MemberRole } from '@kyc-ledger/gateway';
import { INVALID_UTF8, invalidUtf8Body, seededRng } from './malformedRequests';
import { BANK_KEY, CERTIFIER_KEY, appConfig, attestationInput, newTestApp } from './testApp';

const ADMIN_KEY = 'test-admin-key-0123456789';

/** POSTs `body` byte for byte (superagent would JSON-encode a Buffer under a JSON content type). */
function postRaw(app: Parameters<typeof request>[0], path: string, key: string, body: Buffer, contentType = 'application/json'): request.Test {
  return request(app).post(path).set('x-api-key', key).set('content-type', contentType).serialize((raw: unknown) => raw as string).send(body as never);
}

const ROLES: readonly MemberRole[] = ['certifier', 'bank', 'issuer'];

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: unknown; 'x-required-role'?: string }>>;
}

/** A test gateway of `role` that also holds an admin key, so the governance routes are reached too. */
function appWithAdminKey(role: MemberRole) {
  return newTestApp(role, { apiKeys: [...appConfig(role).apiKeys, { id: 'admin', keyHash: hashApiKey(ADMIN_KEY), role: 'admin' }] });
}

/** Every route of the role's gateway that takes a body, with the role its key needs, from its own OpenAPI document. */
async function routesWithBody(role: MemberRole): Promise<{ route: string; access: string }[]> {
  const { app } = appWithAdminKey(role);
  const doc = (await request(app).get('/openapi.json').expect(200)).body as OpenApi;
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).filter(([, op]) => op.requestBody !== undefined)
      .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, 'a1'.repeat(32))}`, access: op['x-required-role'] ?? role })),
  );
}

describe('gateway bodies that are not UTF-8', function () {
  ROLES.forEach((role) => {
    it(`${role} gateway: every route with a body answers 415 and calls the ledger never`, async function () {
      this.timeout(60_000);
      const routes = await routesWithBody(role);
      expect(routes.length, 'routes with a body').to.be.greaterThan(0);
      const roleKey = role === 'certifier' ? CERTIFIER_KEY : BANK_KEY;
      const rng = seededRng(415);
      const { app, ledger } = appWithAdminKey(role);
      for (const { route, access } of routes) {
        const key = access === 'admin' ? ADMIN_KEY : roleKey;
        const [method, path] = route.split(' ') as [string, string];
        expect(method).to.equal('POST');
        for (const bytes of INVALID_UTF8) {
          // The asset name of the report: FF FE C3 inside an otherwise ordinary JSON string.
          const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('","subject":"x"}')]);
          const res = await postRaw(app, path, key, body);
          expect(res.status, `${route} ${Buffer.from(bytes).toString('hex')}: ${res.text}`).to.equal(415);
          expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
          expect(res.body).to.include({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'the request body is not valid UTF-8' });
          expect(ledger.submits, route).to.deep.equal([]);
          expect(ledger.evaluates, route).to.deep.equal([]);
        }
        // Bad bytes inside a body that is otherwise valid for the route are refused the same way.
        const res = await postRaw(app, path, key, invalidUtf8Body(rng, attestationInput()), 'application/json; charset=utf-8');
        expect(res.status, route).to.equal(415);
      }
    });
  });

  it('a valid attestation with U+FFFD itself (valid UTF-8) is not refused as a media type problem', async function () {
    const { app } = newTestApp('certifier');
    const res = await postRaw(app, '/v1/attestations', CERTIFIER_KEY, Buffer.from(JSON.stringify(attestationInput({ jurisdiction: 'D\uFFFD' })), 'utf8'));
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('VALIDATION_FAILED');
  });
});
