import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { createApp, createGatewayLogger, hashApiKey, namedSchema, newGatewayMetrics, parseGatewayConfig, type MemberRole } from '@kyc-ledger/gateway';
import { RegistryContract } from '@kyc-ledger/chaincode';
import { bootstrapInput } from '../../support/attestationFixtures';
import { createStubContext, type StubContext } from '../../support/stubContext';
import { RegistryLedger } from './registryLedger';

const NOW = new Date('2026-06-01T12:00:00.000Z');

/** The answer parses with the schema the OpenAPI document names, and has no undocumented field. */
function expectDocumented(schemaName: string, body: unknown): void {
  const parsed = namedSchema(schemaName)?.safeParse(body);
  expect(parsed?.success, `${schemaName}: ${JSON.stringify(parsed?.error?.issues)}`).to.equal(true);
  expect(parsed?.data).to.deep.equal(body);
}

interface OrgGateway {
  app: Express;
  ledger: RegistryLedger;
  adminLedger: RegistryLedger;
  key: string;
  adminKey: string;
}

/** One org's gateway over the shared stubbed channel: a key of its role and an admin key. */
function orgGateway(stub: StubContext, name: string, mspId: string, role: MemberRole): OrgGateway {
  const key = `${name}-role-key-0123456789`;
  const adminKey = `${name}-admin-key-0123456789`;
  const ledger = new RegistryLedger(stub, mspId, false);
  const adminLedger = new RegistryLedger(stub, mspId, true);
  const app = createApp({
    config: {
      org: { name, mspId, role },
      apiKeys: [{ id: `${name}-ops`, keyHash: hashApiKey(key), role }, { id: `${name}-admin`, keyHash: hashApiKey(adminKey), role: 'admin' }],
      publicBaseUrl: 'https://gateway.example.test',
      cors: { enabled: false, origins: [] },
      sessionTtlSeconds: 300,
    },
    ledger,
    adminLedger,
    logger: createGatewayLogger({ level: 'silent' }),
    metrics: newGatewayMetrics({ defaultMetrics: false }),
    now: () => NOW,
  });
  return { app, ledger, adminLedger, key, adminKey };
}

const banking = (effectiveFrom: string) => ({
  kind: 'banking', scope: 'consortium', effectiveFrom,
  rules: { requiredClaims: { claimTopics: ['identity'], minAssuranceLevel: 'substantial' }, jurisdictionLists: { sanctioned: ['KP'], highRisk: [], highRiskPolicy: { policy: 'block' } } },
});

describe('gateway governance routes (real registry contract on a stubbed channel)', function () {
  let stub: StubContext;
  let bank1: OrgGateway;
  let bank2: OrgGateway;
  let issuer1: OrgGateway;

  beforeEach(async function () {
    stub = createStubContext();
    stub.setTxTime(NOW.toISOString());
    stub.setCaller('Bank1MSP', true);
    await stub.tx(() => new RegistryContract().bootstrap(stub.ctx, bootstrapInput('kyc-ledger')));
    bank1 = orgGateway(stub, 'bank1', 'Bank1MSP', 'bank');
    bank2 = orgGateway(stub, 'bank2', 'Bank2MSP', 'bank');
    issuer1 = orgGateway(stub, 'issuer1', 'Issuer1MSP', 'issuer');
  });

  const stateOf = () => JSON.stringify([...stub.state.entries()]);

  it('refuses non-admin keys on the write routes with 403 FORBIDDEN problem+json, and missing keys with 401; nothing reaches the ledger', async function () {
    const before = stateOf();
    const id = 'a'.repeat(64);
    const attempts = [
      () => request(bank1.app).post('/v1/governance/proposals').send({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } }),
      () => request(bank1.app).post(`/v1/governance/proposals/${id}/approve`),
    ];
    for (const attempt of attempts) {
      const refused = await attempt().set('x-api-key', bank1.key).expect(403);
      expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(refused.body.code).to.equal('FORBIDDEN');
      expect((await attempt().expect(401)).body.code).to.equal('UNAUTHENTICATED');
    }
    expect(bank1.ledger.calls).to.deep.equal([]);
    expect(bank1.adminLedger.calls).to.deep.equal([]);
    expect(stateOf()).to.equal(before);
  });

  it('lets any key of the gateway read proposals, members, accreditations and rule sets, with the client identity', async function () {
    for (const key of [bank1.key, bank1.adminKey]) {
      expect((await request(bank1.app).get('/v1/governance/proposals').query({ status: 'open' }).set('x-api-key', key).expect(200)).body).to.deep.equal({ proposals: [] });
      expect((await request(bank1.app).get(`/v1/governance/proposals/${'c'.repeat(64)}`).set('x-api-key', key).expect(404)).body.code).to.equal('NOT_FOUND');
      expect((await request(bank1.app).get('/v1/governance/proposals').expect(401)).body.code).to.equal('UNAUTHENTICATED');
      const members = await request(bank1.app).get('/v1/governance/members').set('x-api-key', key).expect(200);
      expect(members.body.members.map((m: { mspId: string }) => m.mspId)).to.have.members(['Certifier1MSP', 'Bank1MSP', 'Bank2MSP', 'Issuer1MSP']);
      const accreditations = await request(bank1.app).get('/v1/governance/accreditations').set('x-api-key', key).expect(200);
      expect(accreditations.body.accreditations.map((a: { certifier: string; status: string }) => [a.certifier, a.status])).to.deep.equal([['Certifier1MSP', 'active']]);
      expect((await request(bank1.app).get('/v1/governance/rule-sets').set('x-api-key', key).expect(200)).body).to.deep.equal({ ruleSets: [], inForce: null });
    }
    await request(bank1.app).get('/v1/governance/members').expect(401);
    expect(bank1.adminLedger.calls).to.deep.equal([]);
    expect(bank1.ledger.calls.every((c) => !c.submitted)).to.equal(true);
  });

  it('de-accredits through the admin routes of three orgs\' gateways, each with its own admin identity', async function () {
    const proposed = await request(bank1.app).post('/v1/governance/proposals').set('x-api-key', bank1.adminKey)
      .send({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } }).expect(201);
    const id = proposed.body.result.id as string;
    expect(proposed.body.result).to.include({ status: 'open', proposer: 'Bank1MSP' });
    expect(proposed.headers['x-transaction-id']).to.equal(proposed.body.transactionId);
    expect(bank1.adminLedger.calls).to.deep.equal([{ fn: 'registry:propose', args: [JSON.stringify({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } })], submitted: true }]);

    const open = await request(bank2.app).get('/v1/governance/proposals').query({ status: 'open' }).set('x-api-key', bank2.adminKey).expect(200);
    expect(open.body.proposals.map((p: { id: string }) => p.id)).to.deep.equal([id]);
    const second = await request(bank2.app).post(`/v1/governance/proposals/${id}/approve`).set('x-api-key', bank2.adminKey).expect(200);
    expect(second.body.result).to.include({ status: 'open' });
    // The same org cannot approve twice: 409, and nothing changes.
    const before = stateOf();
    expect((await request(bank2.app).post(`/v1/governance/proposals/${id}/approve`).set('x-api-key', bank2.adminKey).expect(409)).body.code).to.equal('CONFLICT');
    expect(stateOf()).to.equal(before);

    const third = await request(issuer1.app).post(`/v1/governance/proposals/${id}/approve`).set('x-api-key', issuer1.adminKey).expect(200);
    expect(third.body.result).to.include({ status: 'executed' });
    expect(third.body.result.approvals).to.deep.equal(['Bank1MSP', 'Bank2MSP', 'Issuer1MSP']);
    expectDocumented('ProposalWriteResult', proposed.body);
    expectDocumented('ProposalWriteResult', third.body);
    expectDocumented('ProposalList', open.body);

    const shown = await request(bank1.app).get(`/v1/governance/proposals/${id}`).set('x-api-key', bank1.adminKey).expect(200);
    expect(shown.body).to.deep.equal(third.body.result);
    expect((await request(bank1.app).get('/v1/governance/proposals').query({ status: 'open' }).set('x-api-key', bank1.adminKey).expect(200)).body.proposals).to.deep.equal([]);
    const accreditations = await request(bank2.app).get('/v1/governance/accreditations').set('x-api-key', bank2.key).expect(200);
    expect(accreditations.body.accreditations[0]).to.include({ certifier: 'Certifier1MSP', status: 'revoked' });
    expectDocumented('AccreditationList', accreditations.body);
    expectDocumented('Proposal', shown.body);
  });

  it('publishes a banking rule set and shows its hash and whether it is in force', async function () {
    const proposed = await request(bank1.app).post('/v1/governance/proposals').set('x-api-key', bank1.adminKey)
      .send({ action: 'publishRuleSet', payload: banking('2026-06-01T12:00:00Z') }).expect(201);
    const id = proposed.body.result.id as string;
    for (const org of [bank2, issuer1]) await request(org.app).post(`/v1/governance/proposals/${id}/approve`).set('x-api-key', org.adminKey).expect(200);
    const listed = await request(issuer1.app).get('/v1/governance/rule-sets').set('x-api-key', issuer1.key).expect(200);
    expect(listed.body.ruleSets).to.have.length(1);
    expect(listed.body.ruleSets[0].hash).to.match(/^[0-9a-f]{64}$/);
    expect(listed.body.ruleSets[0].ruleSet.effectiveFrom).to.equal('2026-06-01T12:00:00Z');
    expect(listed.body.inForce).to.equal(listed.body.ruleSets[0].hash);
    expectDocumented('BankingRuleSetList', listed.body);
  });

  it('refuses bad input with a coded 4xx and changes nothing', async function () {
    const before = stateOf();
    const post = (body: unknown) => request(bank1.app).post('/v1/governance/proposals').set('x-api-key', bank1.adminKey).send(body as object);
    expect((await post({ action: 'dissolve' }).expect(400)).body.code).to.equal('VALIDATION_FAILED');
    expect((await post({ action: 'deaccredit', payload: { certifier: '9bad' } }).expect(400)).body.code).to.equal('VALIDATION_FAILED');
    expect((await post({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' }, extra: 1 }).expect(400)).body.code).to.equal('VALIDATION_FAILED');
    expect((await request(bank1.app).post('/v1/governance/proposals').set('x-api-key', bank1.adminKey).set('content-type', 'text/plain').send('x').expect(415)).body.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    expect(bank1.adminLedger.calls).to.deep.equal([]);
    // Valid in shape, refused by the chaincode: a member that is not one, a rule set in the past.
    expect((await post({ action: 'removeMember', payload: { mspId: 'Stranger1MSP' } }).expect(404)).body.code).to.equal('NOT_FOUND');
    expect((await post({ action: 'publishRuleSet', payload: banking('2020-01-01T00:00:00Z') }).expect(400)).body.code).to.equal('INVALID_ARGUMENT');
    expect((await request(bank1.app).get('/v1/governance/proposals/xyz').set('x-api-key', bank1.adminKey).expect(400)).body.code).to.equal('VALIDATION_FAILED');
    expect((await request(bank1.app).get(`/v1/governance/proposals/${'b'.repeat(64)}`).set('x-api-key', bank1.adminKey).expect(404)).body.code).to.equal('NOT_FOUND');
    expect((await request(bank1.app).post(`/v1/governance/proposals/${'b'.repeat(64)}/approve`).set('x-api-key', bank1.adminKey).expect(404)).body.code).to.equal('NOT_FOUND');
    expect((await request(bank1.app).get('/v1/governance/proposals').query({ status: 'closed' }).set('x-api-key', bank1.adminKey).expect(400)).body.code).to.equal('VALIDATION_FAILED');
    expect(stateOf()).to.equal(before);
  });
});

describe('gateway configuration of admin keys', function () {
  const base = {
    org: { name: 'bank1', mspId: 'Bank1MSP', role: 'bank' },
    listen: { port: 0 },
    peer: { endpoint: 'localhost:7051', tlsCaPath: '/tls/ca.crt' },
    identity: { certPath: '/user/cert.pem', keyPath: '/user/key.pem' },
    channel: 'kyc',
    chaincode: 'kyc',
    publicBaseUrl: 'http://localhost:8080',
    apiKeys: [{ id: 'admin', keyHash: 'c'.repeat(64), role: 'admin' }],
  };

  it('accepts an admin key only with the org admin identity, and no key of another member role', function () {
    expect(() => parseGatewayConfig(base)).to.throw(/apiKeys\.0\.role: an admin key needs adminIdentity/);
    const config = parseGatewayConfig({ ...base, adminIdentity: { certPath: '/admin/cert.pem', keyPath: '/admin/key.pem' } });
    expect(config.adminIdentity).to.deep.equal({ certPath: '/admin/cert.pem', keyPath: '/admin/key.pem' });
    expect(() => parseGatewayConfig({ ...base, apiKeys: [{ id: 'x', keyHash: 'c'.repeat(64), role: 'issuer' }] })).to.throw(/must be the org's role \(bank\) or admin/);
  });
});
