import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { retryReason, startSteadyLoad, type LoadGateway } from '../../support/steadyLoad';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A certifier gateway stand-in: answers POST /v1/attestations the way the real route does (201
 * with the attestation, or a problem body with a code), the answer of each request chosen by `plan`.
 */
async function stubCertifier(plan: (n: number) => { status: number; code?: string; delayMs?: number }): Promise<{ gateway: LoadGateway; server: Server; calls: () => number }> {
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { commitmentRoot?: string };
      const answer = plan(n++);
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': answer.code ? 'application/problem+json' : 'application/json' });
        res.end(JSON.stringify(answer.code ? { code: answer.code, title: 'x', status: answer.status } : { transactionId: `tx${n}`, attestation: { id: `id-${body.commitmentRoot ?? ''}-${n}` } }));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { gateway: { org: 'certifier1', url: `http://127.0.0.1:${port}`, apiKey: 'k' }, server, calls: () => n };
}

describe('steady load (test/support/steadyLoad.ts)', function () {
  this.timeout(20_000);
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  it('classifies answers: MVCC conflicts, uncommitted, unavailable, rate-limited and dropped connections are retried; refusals are not', function () {
    const answer = (status: number, code?: string) => ({ status, body: code ? { code } : {} });
    expect(retryReason(answer(409, 'CONFLICT'))).to.equal('409 CONFLICT');
    expect(retryReason(answer(502, 'COMMIT_FAILED'))).to.equal('502 COMMIT_FAILED');
    expect(retryReason(answer(502, 'CHAINCODE_FAILED'))).to.equal('502 CHAINCODE_FAILED');
    expect(retryReason(answer(503, 'UPSTREAM_UNAVAILABLE'))).to.equal('503 UPSTREAM_UNAVAILABLE');
    expect(retryReason(answer(429, 'RATE_LIMITED'))).to.equal('429 RATE_LIMITED');
    expect(retryReason(new Error('fetch failed'))).to.equal('network');
    for (const [status, code] of [[409, 'SESSION_ALREADY_USED'], [422, 'NOT_ACCREDITED'], [400, 'INVALID_ARGUMENT'], [403, 'FORBIDDEN'], [500, 'INTERNAL'], [200, undefined]] as const) {
      expect(retryReason(answer(status, code)), `${status} ${code}`).to.equal(undefined);
    }
  });

  it('retries conflicts until the write commits and counts them; 0 failed', async function () {
    // Every other attempt loses an MVCC race.
    const stub = await stubCertifier((n) => (n % 2 === 0 ? { status: 409, code: 'CONFLICT' } : { status: 201 }));
    servers.push(stub.server);
    const load = startSteadyLoad({ networkId: 'kyc-test/kyc', certifier: stub.gateway, banks: [], attestationClients: 1, verificationClients: 0, thinkMs: 10 });
    await sleep(1500);
    const report = await load.stop();
    expect(report.failedAfterRetries).to.equal(0);
    expect(report.ok).to.be.greaterThan(0);
    expect(report.retries).to.equal(report.ok);
    expect(report.retriesByReason).to.deep.equal({ '409 CONFLICT': report.ok });
    expect(report.committedWrites).to.equal(report.ok);
    expect(stub.calls()).to.equal(report.ok * 2);
  });

  it('counts a refusal as failed at once and a lasting outage as failed after its attempts', async function () {
    const refused = await stubCertifier(() => ({ status: 422, code: 'NOT_ACCREDITED' }));
    servers.push(refused.server);
    let load = startSteadyLoad({ networkId: 'kyc-test/kyc', certifier: refused.gateway, banks: [], attestationClients: 1, verificationClients: 0, thinkMs: 50 });
    await sleep(300);
    let report = await load.stop();
    expect(report.ok).to.equal(0);
    expect(report.retries).to.equal(0);
    expect(report.failedAfterRetries).to.be.greaterThan(0);
    expect(report.failures[0]).to.include({ kind: 'attestation', attempts: 1, status: 422, code: 'NOT_ACCREDITED' });

    const down = await stubCertifier(() => ({ status: 503, code: 'UPSTREAM_UNAVAILABLE' }));
    servers.push(down.server);
    load = startSteadyLoad({ networkId: 'kyc-test/kyc', certifier: down.gateway, banks: [], attestationClients: 1, verificationClients: 0, maxAttempts: 3 });
    await sleep(100);
    report = await load.stop();
    expect(report.failedAfterRetries).to.equal(1);
    expect(report.failures[0]).to.include({ attempts: 3, status: 503 });
    expect(report.retriesByReason).to.deep.equal({ '503 UPSTREAM_UNAVAILABLE': 2 });
  });

  it('reports the longest time between two committed writes', async function () {
    // Request 5 is answered only after 1.2 s: nothing commits meanwhile (one client).
    const stub = await stubCertifier((n) => ({ status: 201, ...(n === 5 && { delayMs: 1200 }) }));
    servers.push(stub.server);
    const load = startSteadyLoad({ networkId: 'kyc-test/kyc', certifier: stub.gateway, banks: [], attestationClients: 1, verificationClients: 0, thinkMs: 20 });
    await sleep(2000);
    const report = await load.stop();
    expect(report.longestPauseMs).to.be.within(1200, 1600);
    expect((report.longestPause?.to ?? 0) - (report.longestPause?.from ?? 0)).to.equal(report.longestPauseMs);
  });
});
