import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Key } from '@kyc-ledger/crypto';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { metric } from '../support/gatewayMetric';
import { approve, investorRecord, officerKeys } from '../support/investorFixtures';
import { createTestNetwork, eventually, REPO_ROOT, sleep, testProgress } from '../support/testNetwork';

const ASSET = 'RESTART-EQ';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function call<T = Record<string, unknown>>(gateway: GatewayEndpoint, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { 'x-api-key': gateway.apiKey, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/**
 * Issue 10: the issuer gateway's transfer-check replica lives in its classic-level store, so an
 * issuer gateway SIGKILLed and started again resumes from its checkpoint (no block re-applied)
 * and answers every transfer check as it did before, from the replica; blocks committed after
 * the restart are then followed as usual.
 */
describe('issuer gateway restart (durable transfer-check replica, issue 10)', function () {
  this.timeout(20 * 60_000);
  let network: Network;
  let issuer: GatewayEndpoint;
  let certifier: GatewayEndpoint;
  let networkId: string;
  const officers = officerKeys(3);
  const started: ChildProcess[] = [];

  before(async function () {
    network = createTestNetwork('issuer-restart', Number(process.env.KYC_TEST_PORT_BASE ?? 17000));
    const up = await network.up(testProgress());
    issuer = up.gateways.find((g) => g.org === 'issuer1') as GatewayEndpoint;
    certifier = up.gateways.find((g) => g.org === 'certifier1') as GatewayEndpoint;
    networkId = `${network.config.name}/${network.config.channel.name}`;
  });

  after(async function () {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  async function onboard(name: string, jurisdiction: string, investorType: string): Promise<Key> {
    const { input, key } = attestationRequest(networkId, { overrides: { jurisdiction } });
    const attested = await call<{ attestation: { id: string } }>(certifier, 'POST', '/v1/attestations', input);
    expect(attested.status, JSON.stringify(attested.body)).to.equal(201);
    const { issuer: _issuer, ...record } = investorRecord(`inv-${name}`, {
      jurisdiction, investorType, amlScreenedAt: iso(Date.now() - 10 * DAY), kycVerifiedAt: iso(Date.now() - 10 * DAY),
      ...(investorType === 'accredited' && { accreditationExpiresAt: iso(Date.now() + 365 * DAY) }),
    });
    void _issuer;
    expect((await call(issuer, 'POST', '/v1/investors', record)).status).to.equal(200);
    const registration = { address: key.accountId, investor: `inv-${name}`, certifier: 'Certifier1MSP', attestationId: attested.body.attestation.id };
    const request = await call<{ digest: string }>(issuer, 'POST', `/v1/assets/${ASSET}/approval-requests`, { action: 'register', ...registration });
    const approvals = [officers[0], officers[2]].map((o) => approve(o as Key, ASSET, request.body.digest, networkId));
    const registered = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations`, { ...registration, approvals });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    return key;
  }

  const replicaReads = async () => (await metric(issuer, 'kyc_gateway_transfer_checks_total', 'source="replica"')) ?? 0;
  const peerReads = async () => (await metric(issuer, 'kyc_gateway_transfer_checks_total', 'source="peer"')) ?? 0;
  const caughtUpAt = (height: number) => eventually(async () => {
    if ((await metric(issuer, 'kyc_gateway_replica_caught_up')) !== 1 || ((await metric(issuer, 'kyc_gateway_replica_height')) ?? 0) < height) throw new Error('not caught up');
  }, 120_000, 100);

  it('SIGKILLed and restarted, resumes from its checkpoint without replaying from block 0 and answers every transfer check identically', async function () {
    expect((await call(issuer, 'POST', '/v1/assets', { id: ASSET, name: 'Restart equity', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } })).status).to.equal(201);
    const effectiveFrom = Date.now() + 20_000;
    const published = await call(issuer, 'POST', `/v1/assets/${ASSET}/rule-sets`, {
      kind: 'securities', scope: ASSET, effectiveFrom: iso(effectiveFrom),
      rules: {
        jurisdictions: { blocked: ['KP'] },
        investorTypes: { byJurisdiction: { US: { investorTypes: ['accredited'] }, '*': { investorTypes: ['professional', 'accredited', 'retail'] } } },
        maxBalance: { default: '5000' },
      },
    });
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    // The consortium's banking rules (a check needs both kinds in force): proposed by one member
    // admin, executed once a majority approved.
    const admins = ['bank1', 'bank2', 'issuer1'].map((org) => connectAs(network, org, 'admin'));
    try {
      const payload = {
        kind: 'banking', scope: 'consortium', effectiveFrom: iso(effectiveFrom),
        rules: { requiredClaims: { claimTopics: ['identity'], minAssuranceLevel: 'substantial' }, amlScreening: { maxAgeDays: 365 }, jurisdictionLists: { sanctioned: ['KP'], highRisk: ['YE'], highRiskPolicy: { policy: 'block' } } },
      };
      const [first, ...others] = admins;
      if (!first) throw new Error('no admin');
      let proposal = JSON.parse(Buffer.from(await first.contract.submitTransaction('registry:propose', JSON.stringify({ action: 'publishRuleSet', payload }))).toString()) as { id: string; status: string };
      for (const admin of others) proposal = JSON.parse(Buffer.from(await admin.contract.submitTransaction('registry:approve', proposal.id)).toString()) as { id: string; status: string };
      expect(proposal.status).to.equal('executed');
    } finally {
      admins.forEach((admin) => admin.close());
    }
    const a = await onboard('us-accredited', 'US', 'accredited');
    const b = await onboard('ch-professional', 'CH', 'professional');
    const c = await onboard('us-retail', 'US', 'retail');
    await sleep(Math.max(0, effectiveFrom - Date.now()) + 500);
    for (const to of [a, b]) {
      const issued = await call(issuer, 'POST', `/v1/assets/${ASSET}/transfers`, { to: to.accountId, amount: '1000' });
      expect(issued.status, JSON.stringify(issued.body)).to.equal(200);
    }

    const checks = [
      { from: a.accountId, to: b.accountId, amount: '10' },
      { from: b.accountId, to: a.accountId, amount: '4500' },
      { to: c.accountId, amount: '10' },
      { from: a.accountId, to: c.accountId, amount: '1' },
      { to: b.accountId, amount: '4500' },
      { from: b.accountId, to: 'eip155:1:0x00000000000000000000000000000000000000ff', amount: '1' },
    ];
    // The verdict's inputsHash covers the transaction time, which is the request time: it differs
    // between any two requests, so it is left out of the comparison; everything else must match.
    const answers = async () => Promise.all(checks.map(async (check) => {
      const { status, body } = await call<Record<string, unknown>>(issuer, 'POST', `/v1/assets/${ASSET}/transfer-checks`, check);
      const { inputsHash, ...rest } = body;
      if (status === 200) expect(inputsHash).to.match(/^[0-9a-f]{64}$/);
      return { status, body: rest };
    }));
    await caughtUpAt(1);
    const height = (await metric(issuer, 'kyc_gateway_replica_height')) as number;
    const readsBefore = await replicaReads();
    const before = await answers();
    expect(await replicaReads(), 'answered by the replica before the restart').to.equal(readsBefore + checks.length);
    expect(new Set(before.map((r) => JSON.stringify([r.status, (r.body as { code?: unknown }).code]))).size, 'the checks differ').to.be.greaterThan(2);

    // SIGKILL the issuer gateway the network started (its pid is in its process record), then
    // start it again on the same config and data dir.
    const record = JSON.parse(readFileSync(network.layout.nodePidFile(issuer.id), 'utf8')) as { pid: number };
    process.kill(record.pid, 'SIGKILL');
    await eventually(async () => {
      if (await fetch(`${issuer.url}/livez`).then(() => true, () => false)) throw new Error('still up');
    }, 20_000, 100);
    const fd = openSync(path.join(network.layout.nodeDir(issuer.id), 'restart.log'), 'a');
    started.push(spawn(process.execPath, [path.join(REPO_ROOT, 'gateway', 'dist', 'cli.js'), 'start', '--config', path.join(network.layout.root, 'gateways', `${issuer.org}.yaml`)], {
      stdio: ['ignore', fd, fd], cwd: network.layout.nodeDir(issuer.id),
    }));
    closeSync(fd);
    const restartedAt = performance.now();
    await caughtUpAt(height);
    const readySeconds = (performance.now() - restartedAt) / 1000;
    process.stderr.write(`      restarted issuer gateway caught up at block ${height} after ${readySeconds.toFixed(2)} s\n`);
    expect(await metric(issuer, 'kyc_gateway_replica_resumed_from'), 'resumed from the checkpoint').to.equal(height);
    expect(await metric(issuer, 'kyc_gateway_replica_blocks_applied_total'), 'no block re-applied').to.equal(0);

    const after = await answers();
    expect(after).to.deep.equal(before);
    expect([await replicaReads(), await peerReads()], 'answered by the resumed replica').to.deep.equal([checks.length, 0]);

    // It keeps following: a freeze made after the restart decides the next check.
    expect((await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations/${encodeURIComponent(a.accountId)}/freeze`)).status).to.equal(200);
    const frozen = await call<{ code: number }>(issuer, 'POST', `/v1/assets/${ASSET}/transfer-checks`, checks[0]);
    expect(frozen.body.code).to.not.equal((before[0]?.body as { code: number }).code);
    expect(await metric(issuer, 'kyc_gateway_replica_blocks_applied_total')).to.be.greaterThan(0);
  });
});
