import type { Express } from 'express';
import { expect } from 'chai';
import request from 'supertest';
import { createApp, createGatewayLogger, namedSchema, newGatewayMetrics, openApiPath, type MemberRole } from '@kyc-ledger/gateway';
import { createTestBank } from '../../support/bankPki';
import { FakeLedgerClient } from './fakeLedgerClient';
import { BANK_KEY, CERTIFIER_KEY, SUBJECT, appConfig, attestationInput, newTestApp } from './testApp';

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
      'Accreditation', 'AccreditationList', 'Attestation', 'AttestationStatus', 'BankSession', 'BankingRuleSetList', 'ConsentReceipt', 'CreateSessionRequest', 'Health', 'LinkedChain', 'Member', 'MemberList', 'NetworkStatus', 'NodeStatus', 'OpenApiDocument', 'PrivateChains', 'Problem',
      'Proposal', 'ProposalInput', 'ProposalList', 'ProposalWriteResult', 'RecentVerifications', 'SessionCertificate', 'SessionCreated', 'SessionRefusal', 'SessionRefused', 'SessionStatus', 'StoredRuleSet', 'StoredSignatureEnvelope', 'SubjectStatus', 'ValidationIssue', 'Verdict', 'WalletSubmission', 'WalletVerdict',
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

  describe('types every body', function () {
    type Schema = Record<string, unknown>;
    type Operation = { requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { content?: Record<string, { schema: Schema }> }> };

    function resolve(doc: Doc, schema: Schema): Schema {
      const ref = schema.$ref;
      return typeof ref === 'string' ? resolve(doc, doc.components.schemas[ref.replace('#/components/schemas/', '')] as Schema) : schema;
    }

    /** Why `schema` does not say what the body holds (undefined when it does). */
    function untyped(doc: Doc, schema: Schema | undefined, seen = new Set<Schema>()): string | undefined {
      if (!schema) return 'no schema';
      const s = resolve(doc, schema);
      if (seen.has(s)) return undefined;
      seen.add(s);
      for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
        const branches = s[key];
        if (Array.isArray(branches)) return branches.map((b) => untyped(doc, b as Schema, seen)).find((why) => why !== undefined);
      }
      if (s.type === 'array') return untyped(doc, s.items as Schema | undefined, seen);
      if (s.type !== 'object') return s.type === undefined ? `no type: ${JSON.stringify(s)}` : undefined;
      const properties = s.properties as Record<string, unknown> | undefined;
      return properties && Object.keys(properties).length > 0 ? undefined : 'an object without properties';
    }

    function operations(doc: Doc): [string, Operation][] {
      return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${path}`, op as unknown as Operation] as [string, Operation]));
    }

    for (const role of ['certifier', 'bank', 'issuer'] as MemberRole[]) {
      it(`gives every request body and every 2xx JSON answer a schema with properties (${role} gateway)`, async function () {
        const doc = (await request(newTestApp(role).app).get('/openapi.json').expect(200)).body as Doc;
        const problems: string[] = [];
        for (const [name, op] of operations(doc)) {
          if (op.requestBody) {
            const why = untyped(doc, op.requestBody.content['application/json']?.schema);
            if (why) problems.push(`${name} request: ${why}`);
          }
          const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
          if (success.length === 0) problems.push(`${name}: no 2xx answer`);
          for (const [status, response] of success) {
            const json = response.content?.['application/json'];
            if (!json) {
              if (!response.content?.['text/plain'] && !response.content?.['text/event-stream']) problems.push(`${name} ${status}: no content`);
              continue;
            }
            const why = untyped(doc, json.schema);
            if (why) problems.push(`${name} ${status}: ${why}`);
          }
        }
        expect(JSON.stringify(doc)).not.to.include('LedgerObject');
        expect(problems).to.deep.equal([]);
      });
    }

    it('documents the wallet submission and the rule set with their real structure', async function () {
      const bank = (await request(newTestApp('bank').app).get('/openapi.json').expect(200)).body as Doc;
      const submission = bank.components.schemas.WalletSubmission as { properties: Record<string, unknown>; required: string[] };
      expect(submission.required).to.have.members(['consent', 'signature', 'disclosure']);
      const issuer = (await request(newTestApp('issuer').app).get('/openapi.json').expect(200)).body as Doc;
      const publish = issuer.paths['/v1/assets/{asset}/rule-sets']?.post as unknown as Operation;
      expect(publish.requestBody?.content['application/json']?.schema).to.deep.equal({ $ref: '#/components/schemas/SecuritiesRuleSetInput' });
      const ruleSet = issuer.components.schemas.SecuritiesRuleSetInput as { properties: Record<string, unknown>; required: string[] };
      expect(Object.keys(ruleSet.properties)).to.include.members(['kind', 'scope', 'effectiveFrom', 'rules']);
      expect(ruleSet.required).not.to.include('scope');
    });

    /** Checks `body` against the schema the document names for this answer, and that it has no undocumented field. */
    async function expectDocumented(doc: Doc, method: string, path: string, status: number, body: unknown): Promise<void> {
      const op = doc.paths[path]?.[method] as unknown as Operation;
      const ref = op.responses[String(status)]?.content?.['application/json']?.schema.$ref as string;
      const schema = namedSchema(ref.replace('#/components/schemas/', ''));
      expect(schema, ref).not.to.equal(undefined);
      const parsed = schema?.safeParse(body);
      expect(parsed?.success, `${method} ${path}: ${JSON.stringify(parsed?.error?.issues)}`).to.equal(true);
      // The documented objects are not strict, so parsing drops what they do not name: an
      // undocumented field shows up as a difference.
      expect(parsed?.data, `${method} ${path} has undocumented fields`).to.deep.equal(body);
    }

    it('answers what it documents (certifier and public routes through the test app)', async function () {
      const { app } = newTestApp('certifier');
      const doc = (await request(app).get('/openapi.json').expect(200)).body as Doc;
      await expectDocumented(doc, 'get', '/openapi.json', 200, doc);
      await expectDocumented(doc, 'get', '/livez', 200, (await request(app).get('/livez').expect(200)).body);
      const created = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(201);
      await expectDocumented(doc, 'post', '/v1/attestations', 201, created.body);
      const other = await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput({ commitmentRoot: 'c3'.repeat(32) })).expect(201);
      const revoked = await request(app).post(`/v1/attestations/${other.body.attestation.id}/revoke`).set('x-api-key', CERTIFIER_KEY).send({ reason: 'FRAUD' }).expect(200);
      await expectDocumented(doc, 'post', '/v1/attestations/{id}/revoke', 200, revoked.body);
      const bulk = await request(app).post('/v1/attestations/bulk').set('x-api-key', CERTIFIER_KEY).send({ items: [attestationInput()] }).expect(200);
      await expectDocumented(doc, 'post', '/v1/attestations/bulk', 200, bulk.body);
      const list = await request(app).get('/v1/attestations').query({ subject: SUBJECT }).set('x-api-key', CERTIFIER_KEY).expect(200);
      await expectDocumented(doc, 'get', '/v1/attestations', 200, list.body);
      const status = await request(app).get(`/v1/public/attestations/${SUBJECT}/status`).expect(200);
      expect(status.body.attestations).to.have.length(2);
      await expectDocumented(doc, 'get', '/v1/public/attestations/{subject}/status', 200, status.body);
      await expectDocumented(doc, 'get', '/v1/public/members', 200, (await request(app).get('/v1/public/members').expect(200)).body);
    });

    it('answers what it documents (bank and issuer routes through the test app)', async function () {
      const pki = createTestBank();
      const bank = createApp({
        config: appConfig('bank'),
        ledger: new FakeLedgerClient(),
        logger: createGatewayLogger({ level: 'silent' }),
        metrics: newGatewayMetrics({ defaultMetrics: false }),
        sessionSigner: { certificatePem: pki.user.certificatePem, privateKeyPem: pki.user.privateKeyPem },
      });
      const bankDoc = (await request(bank).get('/openapi.json').expect(200)).body as Doc;
      const created = await request(bank).post('/v1/sessions').set('x-api-key', BANK_KEY).send({ fields: ['givenName'] }).expect(201);
      await expectDocumented(bankDoc, 'post', '/v1/sessions', 201, created.body);
      const session = await request(bank).get(`/v1/sessions/${created.body.sessionId}`).set('x-api-key', BANK_KEY).expect(200);
      await expectDocumented(bankDoc, 'get', '/v1/sessions/{sessionId}', 200, session.body);
      const issuer = newTestApp('issuer');
      const issuerDoc = (await request(issuer.app).get('/openapi.json').expect(200)).body as Doc;
      const message = await request(issuer.app).get('/v1/transfer-restrictions/16').set('x-api-key', BANK_KEY).query({ locale: 'de' }).expect(200);
      await expectDocumented(issuerDoc, 'get', '/v1/transfer-restrictions/{code}', 200, message.body);
    });

    it('would notice an answer that breaks its schema or carries an undocumented field', async function () {
      const { app } = newTestApp('certifier');
      const doc = (await request(app).get('/openapi.json').expect(200)).body as Doc;
      const created = (await request(app).post('/v1/attestations').set('x-api-key', CERTIFIER_KEY).send(attestationInput()).expect(201)).body;
      const extra = { ...created, attestation: { ...created.attestation, givenName: 'Erika' } };
      await expectDocumented(doc, 'post', '/v1/attestations', 201, extra).then(() => expect.fail('an undocumented field passed'), (e: Error) => expect(e.message).to.include('undocumented'));
      const broken = { ...created, attestation: { ...created.attestation, issuedAt: 'yesterday' } };
      await expectDocumented(doc, 'post', '/v1/attestations', 201, broken).then(() => expect.fail('a malformed field passed'), (e: Error) => expect(e.message).to.include('issuedAt'));
    });
  });
});
