import type { Express } from 'express';
import { expect } from 'chai';
import request from 'supertest';
import { openApiPath, type MemberRole } from '@kyc-ledger/gateway';
import { newTestApp } from './testApp';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /openapi/path` for every route express has registered. */
function expressRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  return stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${openApiPath(layer.route?.path ?? '')}`) : [],
  );
}

type Doc = { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, unknown> } };

function documentedRoutes(doc: Doc): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
}

/** Every `$ref` in `value`. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, found));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

describe('gateway OpenAPI document', function () {
  for (const role of ['certifier', 'bank', 'issuer'] as MemberRole[]) {
    it(`lists exactly the routes express serves (${role} gateway), with the same methods and paths`, async function () {
      const { app } = newTestApp(role);
      const doc = (await request(app).get('/openapi.json').expect(200)).body as Doc;
      const served = expressRoutes(app);
      expect(served.length).to.be.greaterThan(5);
      expect([...documentedRoutes(doc)].sort()).to.deep.equal([...served].sort());
      expect(new Set(served).size).to.equal(served.length);
    });
  }

  it('names only the schemas its routes use (a bank gateway lists no certifier inputs)', async function () {
    const bank = (await request(newTestApp('bank').app).get('/openapi.json').expect(200)).body as Doc;
    expect(Object.keys(bank.components.schemas).sort()).to.deep.equal([
      'Attestation', 'AttestationStatus', 'CreateSessionRequest', 'Health', 'Member', 'MemberList', 'OpenApiDocument', 'Problem', 'SessionCreated', 'SessionStatus',
      'SignatureEnvelope', 'SubjectStatus', 'ValidationIssue', 'Verdict', 'WalletSubmission', 'WalletVerdict',
    ]);
  });

  it('documents the certifier endpoints with their schemas, security and problem answers', async function () {
    const { app } = newTestApp('certifier');
    const doc = (await request(app).get('/openapi.json').expect(200)).body as Doc;
    expect(doc.openapi).to.equal('3.1.0');
    expect(Object.keys(doc.paths).sort()).to.include.members([
      '/v1/attestations', '/v1/attestations/bulk', '/v1/attestations/{id}/revoke', '/v1/attestations/{id}/renew',
      '/v1/attestations/{id}/rotate', '/v1/public/attestations/{subject}/status', '/v1/public/members',
      '/livez', '/readyz', '/metrics', '/openapi.json',
    ]);
    const register = doc.paths['/v1/attestations']?.post as Record<string, unknown> & { responses: Record<string, unknown> };
    expect(register.security).to.deep.equal([{ apiKey: [] }]);
    expect(register['x-required-role']).to.equal('certifier');
    expect(register.requestBody).to.deep.equal({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AttestationInput' } } } });
    expect(Object.keys(register.responses)).to.deep.equal(['201', '400', '401', '403', '409', '413', '415', '422', '429', '500', '502', '503']);
    const revoke = doc.paths['/v1/attestations/{id}/revoke']?.post as { parameters: unknown[] };
    expect(revoke.parameters).to.deep.equal([{ name: 'id', in: 'path', required: true, description: 'attestation id (SHA-256, 64 lower-case hex digits)', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }]);
    const status = doc.paths['/v1/public/attestations/{subject}/status']?.get as { security: unknown[]; parameters: { name: string; required: boolean }[] };
    expect(status.security).to.deep.equal([]);
    expect(status.parameters.map((p) => [p.name, p.required])).to.deep.equal([['subject', true], ['at', false], ['limit', false], ['pageToken', false]]);

    const bulk = doc.components.schemas.BulkRegisterRequest as { properties: { items: { maxItems: number; items: unknown } } };
    expect(bulk.properties.items.maxItems).to.equal(5000);
    expect(bulk.properties.items.items).to.deep.equal({ $ref: '#/components/schemas/AttestationInput' });
    for (const ref of refs(doc)) {
      expect(doc.components.schemas, ref).to.have.property(ref.replace('#/components/schemas/', ''));
    }
  });
});
