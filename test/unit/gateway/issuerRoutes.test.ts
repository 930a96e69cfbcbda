import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { mutateBody, pick, rawBadBody, seededRng } from './malformedRequests';
import { BANK_KEY, NEW_SUBJECT, SUBJECT, newTestApp } from './testApp';

const PER_ENDPOINT = Number(process.env.KYC_FUZZ_PER_ENDPOINT ?? 1000);
const SEED = 20261121;
const ID = 'a1'.repeat(32);
const sig = { scheme: 'eip191', signature: `0x${'ef'.repeat(65)}` };
const approvals = [{ officer: SUBJECT, signature: sig }];
const ADDRESS = encodeURIComponent(SUBJECT);

/** Every issuer write with a valid body; each is fuzzed into malformed variants. */
const ENDPOINTS: { path: string; valid: unknown }[] = [
  { path: '/v1/assets', valid: { id: 'BOND-1', name: 'Bond', officers: { accounts: [SUBJECT, NEW_SUBJECT], threshold: 2 } } },
  { path: '/v1/assets/BOND-1/officers', valid: { officers: { accounts: [SUBJECT], threshold: 1 }, approvals } },
  { path: '/v1/assets/BOND-1/unfreeze', valid: { approvals } },
  { path: '/v1/investors', valid: { id: 'inv-1', certifier: 'Certifier1MSP', jurisdiction: 'CH', investorType: 'retail', entityType: 'individual', riskTier: 'low', pep: false, amlScreenedAt: '2026-05-01T00:00:00Z', kycVerifiedAt: '2026-05-01T00:00:00Z' } },
  { path: '/v1/assets/BOND-1/approval-requests', valid: { action: 'register', address: SUBJECT, investor: 'inv-1', certifier: 'Certifier1MSP', attestationId: ID } },
  { path: '/v1/assets/BOND-1/registrations', valid: { address: SUBJECT, investor: 'inv-1', certifier: 'Certifier1MSP', attestationId: ID, approvals } },
  { path: `/v1/assets/BOND-1/registrations/${ADDRESS}/unfreeze`, valid: { approvals } },
  { path: `/v1/assets/BOND-1/registrations/${ADDRESS}/recover`, valid: { to: NEW_SUBJECT, attestationId: ID, approvals } },
  { path: '/v1/assets/BOND-1/transfer-checks', valid: { from: SUBJECT, to: NEW_SUBJECT, amount: '100', record: true, locale: 'de' } },
  { path: '/v1/assets/BOND-1/transfers', valid: { to: NEW_SUBJECT, amount: '100' } },
];

async function post(port: number, path: string, body: string | Buffer, key = BANK_KEY): Promise<{ status: number; type: string; body: { code?: string } }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as { code?: string } };
}

describe('issuer routes: generated malformed requests', function () {
  this.timeout(300_000);
  let server: http.Server;
  let port: number;
  let ledger: ReturnType<typeof newTestApp>['ledger'];

  beforeEach(async function () {
    const built = newTestApp('issuer');
    ledger = built.ledger;
    server = http.createServer(built.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async function () {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  ENDPOINTS.forEach((endpoint, index) => {
    it(`POST ${endpoint.path}: ${PER_ENDPOINT} malformed bodies are coded 4xx problems and reach no ledger`, async function () {
      const rng = seededRng(SEED + index);
      const failures: string[] = [];
      let stillValid = 0;
      // One at a time, so each ledger call belongs to the request that made it.
      for (let i = 0; i < PER_ENDPOINT; i++) {
        const body = pick(rng, [0, 1, 2]) === 0 ? rawBadBody(rng, endpoint.valid) : JSON.stringify(mutateBody(rng, endpoint.valid));
        const calls = ledger.submits.length + ledger.evaluates.length;
        const res = await post(port, endpoint.path, body);
        const reached = ledger.submits.length + ledger.evaluates.length > calls;
        // A mutation can leave a body valid (e.g. dropping an optional field): that one must pass.
        if (reached && res.status < 300) stillValid++;
        else if (reached || res.status < 400 || res.status >= 500 || !res.type.startsWith('application/problem+json') || !/^[A-Z_]+$/.test(res.body.code ?? '')) {
          if (failures.length < 5) failures.push(`${String(body).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }
      expect(failures).to.deep.equal([]);
      expect(stillValid, 'most generated bodies are malformed').to.be.lessThan(PER_ENDPOINT / 10);
    });
  });

  it('accepts each valid body (the fuzzing starts from requests that pass validation)', async function () {
    for (const endpoint of ENDPOINTS) {
      const res = await post(port, endpoint.path, JSON.stringify(endpoint.valid));
      expect(res.status, `${endpoint.path} ${JSON.stringify(res.body)}`).to.be.within(200, 299);
    }
    expect(ledger.submits.length + ledger.evaluates.length).to.be.greaterThan(0);
  });

  it('refuses a certifier\'s or a missing key, and a rule set whose scope is another asset', async function () {
    expect((await post(port, '/v1/assets', JSON.stringify(ENDPOINTS[0]?.valid), 'wrong')).status).to.equal(401);
    const res = await post(port, '/v1/assets/BOND-1/rule-sets', JSON.stringify({ kind: 'securities', scope: 'OTHER', effectiveFrom: '2027-01-01T00:00:00Z', rules: {} }));
    expect([res.status, res.body.code]).to.deep.equal([400, 'INVALID_ARGUMENT']);
    expect(ledger.submits).to.deep.equal([]);
  });
});
