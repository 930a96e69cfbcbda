import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { common } from '@hyperledger/fabric-protos';
import type { Key } from '@kyc-ledger/crypto';
import { committedWrites } from '@kyc-ledger/gateway';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { metric } from '../support/gatewayMetric';
import { approve, investorRecord, officerKeys } from '../support/investorFixtures';
import { createTestNetwork, REPO_ROOT, sleep, testProgress } from '../support/testNetwork';

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

interface Verdict {
  code: number;
  name: string;
  message: string;
  reasons: { code: number; name: string; party: string; message: string }[];
  ruleSetHashes: { banking?: string; securities?: string };
}

async function call<T = Record<string, unknown>>(gateway: GatewayEndpoint, method: 'GET' | 'POST', route: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { 'x-api-key': gateway.apiKey, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const ASSET = 'ACME-REG-D';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86_400_000;

/** Investor attributes dated relative to now, so the banking rules' recency checks pass today. */
function attributes(id: string, jurisdiction: string, investorType: string): Record<string, unknown> {
  const { issuer: _issuer, ...record } = investorRecord(id, {
    jurisdiction,
    investorType,
    amlScreenedAt: iso(Date.now() - 10 * DAY),
    kycVerifiedAt: iso(Date.now() - 10 * DAY),
    ...(['accredited', 'qualified'].includes(investorType) && { accreditationExpiresAt: iso(Date.now() + 365 * DAY) }),
  });
  void _issuer;
  return record;
}

/** The consortium's banking rules, published through governance. */
function banking(effectiveFrom: string) {
  return {
    kind: 'banking',
    scope: 'consortium',
    effectiveFrom,
    rules: {
      requiredClaims: { claimTopics: ['identity'], minAssuranceLevel: 'substantial' },
      amlScreening: { maxAgeDays: 365 },
      jurisdictionLists: { sanctioned: ['KP', 'IR'], highRisk: ['YE'], highRiskPolicy: { policy: 'block' } },
      pep: { policy: 'block' },
    },
  };
}

/** The securities rules of the Reg-D-style asset; `extra` adds or replaces modules. */
function securities(effectiveFrom: string, extra: Record<string, unknown> = {}) {
  return {
    kind: 'securities',
    scope: ASSET,
    effectiveFrom,
    rules: {
      jurisdictions: { blocked: ['KP', 'IR'] },
      investorTypes: { byJurisdiction: { US: { investorTypes: ['accredited', 'institutional'] }, '*': { investorTypes: ['professional', 'accredited', 'qualified', 'institutional', 'retail'] } } },
      holderCaps: { byCountry: { US: 2 } },
      maxBalance: { default: '1000000' },
      ...extra,
    },
  };
}

describe('investor onboarding and transfer checks through the issuer gateway (end-to-end)', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let issuer: GatewayEndpoint;
  let certifier: GatewayEndpoint;
  let networkId: string;
  let officers: Key[];
  const investors: Record<string, Key> = {};
  let lockedUntil: number;

  before(async function () {
    network = createTestNetwork('invest', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 4000);
    const up = await network.up(testProgress());
    const gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    issuer = gateways['issuer1'] as GatewayEndpoint;
    certifier = gateways['certifier1'] as GatewayEndpoint;
    networkId = `${network.config.name}/${network.config.channel.name}`;
    officers = officerKeys(3);
  });

  after(async function () {
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  /** Attests a person (certifier gateway), stores their investor record and registers them with 2 of 3 officers. */
  async function onboard(name: string, jurisdiction: string, investorType: string): Promise<Key> {
    const { input, key } = attestationRequest(networkId, { overrides: { jurisdiction } });
    const attested = await call<{ attestation: { id: string } }>(certifier, 'POST', '/v1/attestations', input);
    expect(attested.status, JSON.stringify(attested.body)).to.equal(201);
    const put = await call(issuer, 'POST', '/v1/investors', attributes(`inv-${name}`, jurisdiction, investorType));
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    const registration = { address: key.accountId, investor: `inv-${name}`, certifier: 'Certifier1MSP', attestationId: attested.body.attestation.id };
    const request = await call<{ digest: string }>(issuer, 'POST', `/v1/assets/${ASSET}/approval-requests`, { action: 'register', ...registration });
    expect(request.status, JSON.stringify(request.body)).to.equal(200);
    const approvals = [officers[0], officers[2]].map((o) => approve(o as Key, ASSET, request.body.digest, networkId));
    const registered = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations`, { ...registration, approvals });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    investors[name] = key;
    return key;
  }

  const check = async (to: string, amount: string, from?: string, locale?: string) => {
    const reply = await call<Verdict>(issuer, 'POST', `/v1/assets/${ASSET}/transfer-checks`, { to, amount, ...(from && { from }), ...(locale && { locale }) });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    return reply.body;
  };
  const codesOf = (v: Verdict) => v.reasons.map((r) => r.name);

  it('creates the asset and publishes its rule set; a bad rule set is refused with every problem and changes nothing', async function () {
    const created = await call(issuer, 'POST', '/v1/assets', { id: ASSET, name: 'ACME private placement', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const bad = await call<{ code: string; details: { problems: string[] } }>(issuer, 'POST', `/v1/assets/${ASSET}/rule-sets`, {
      kind: 'securities', effectiveFrom: 'tomorrow', rules: { holderCaps: { total: -1 }, jurisdictions: { allowed: ['XX'] }, unknownModule: {} },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.code).to.equal('INVALID_ARGUMENT');
    expect(bad.body.details.problems.length).to.be.greaterThanOrEqual(3);
    const versions = await call<unknown[]>(issuer, 'GET', `/v1/assets/${ASSET}/rule-sets`);
    expect(versions.body).to.deep.equal([]);
    const effectiveFrom = iso(Date.now() + 10_000);
    const published = await call<{ result: { hash: string } }>(issuer, 'POST', `/v1/assets/${ASSET}/rule-sets`, securities(effectiveFrom));
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    expect(published.body.result.hash).to.match(/^[0-9a-f]{64}$/);

    // The banking rules: proposed by one member admin, executed once a majority approved.
    const admins = ['bank1', 'bank2', 'issuer1'].map((org) => connectAs(network, org, 'admin'));
    try {
      const [first, ...others] = admins;
      if (!first) throw new Error('no admin');
      let proposal = JSON.parse(Buffer.from(await first.contract.submitTransaction('registry:propose', JSON.stringify({ action: 'publishRuleSet', payload: banking(effectiveFrom) }))).toString()) as { id: string; status: string };
      for (const admin of others) proposal = JSON.parse(Buffer.from(await admin.contract.submitTransaction('registry:approve', proposal.id)).toString()) as { id: string; status: string };
      expect(proposal.status).to.equal('executed');
    } finally {
      admins.forEach((a) => a.close());
    }
    await sleep(Math.max(0, Date.parse(effectiveFrom) - Date.now()) + 500);
  });

  it('a registration with M-1 approvals is not effective, with M it is; a duplicated or a removed officer\'s signature does not count', async function () {
    const { input, key } = attestationRequest(networkId, { overrides: { jurisdiction: 'CH' } });
    const attested = await call<{ attestation: { id: string } }>(certifier, 'POST', '/v1/attestations', input);
    await call(issuer, 'POST', '/v1/investors', attributes('inv-m', 'CH', 'retail'));
    const registration = { address: key.accountId, investor: 'inv-m', certifier: 'Certifier1MSP', attestationId: attested.body.attestation.id };
    const { body: { digest } } = await call<{ digest: string }>(issuer, 'POST', `/v1/assets/${ASSET}/approval-requests`, { action: 'register', ...registration });
    const one = approve(officers[0] as Key, ASSET, digest, networkId);
    let reply = await call<{ code: string }>(issuer, 'POST', `/v1/assets/${ASSET}/registrations`, { ...registration, approvals: [one] });
    expect([reply.status, reply.body.code]).to.deep.equal([422, 'APPROVALS_INSUFFICIENT']);
    reply = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations`, { ...registration, approvals: [one, one] });
    expect([reply.status, reply.body.code]).to.deep.equal([422, 'APPROVALS_INSUFFICIENT']);
    expect((await call(issuer, 'GET', `/v1/assets/${ASSET}/registrations/${encodeURIComponent(key.accountId)}`)).status).to.equal(404);

    // Officer 1 is replaced (by 2 of 3 signatures); afterwards its signature no longer counts.
    const replacement = officerKeys(1)[0] as Key;
    const nextSet = { accounts: [officers[0], officers[2], replacement].map((o) => (o as Key).accountId), threshold: 2 };
    const change = await call<{ digest: string }>(issuer, 'POST', `/v1/assets/${ASSET}/approval-requests`, { action: 'changeOfficers', officers: nextSet });
    const changed = await call(issuer, 'POST', `/v1/assets/${ASSET}/officers`, { officers: nextSet, approvals: [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, change.body.digest, networkId)) });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    reply = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations`, { ...registration, approvals: [one, approve(officers[1] as Key, ASSET, digest, networkId)] });
    expect([reply.status, reply.body.code]).to.deep.equal([422, 'APPROVALS_INSUFFICIENT']);
    reply = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations`, { ...registration, approvals: [one, approve(replacement, ASSET, digest, networkId)] });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    officers[1] = replacement;
  });

  it('blocks a US retail investor from the Reg-D-style asset while an accredited one passes', async function () {
    const retail = await onboard('us-retail', 'US', 'retail');
    const accredited = await onboard('us-accredited', 'US', 'accredited');
    const blocked = await check(retail.accountId, '100');
    expect(blocked.code).to.equal(31);
    expect(codesOf(blocked)).to.deep.equal(['INVESTOR_TYPE_NOT_ALLOWED']);
    const allowed = await check(accredited.accountId, '100');
    expect([allowed.code, allowed.reasons]).to.deep.equal([0, []]);
    const german = await check(retail.accountId, '100', undefined, 'de');
    expect(german.reasons[0]?.message).to.not.equal(blocked.reasons[0]?.message);
  });

  it('a reached country holder cap blocks the next investor of that country, not an existing holder', async function () {
    const a = investors['us-accredited'] as Key;
    const b = await onboard('us-accredited-2', 'US', 'accredited');
    const c = await onboard('us-accredited-3', 'US', 'accredited');
    for (const to of [a, b]) {
      const issued = await call(issuer, 'POST', `/v1/assets/${ASSET}/transfers`, { to: to.accountId, amount: '1000' });
      expect(issued.status, JSON.stringify(issued.body)).to.equal(200);
    }
    const capped = await check(c.accountId, '10');
    expect(codesOf(capped)).to.deep.equal(['COUNTRY_HOLDER_CAP']);
    const refused = await call<{ code: string }>(issuer, 'POST', `/v1/assets/${ASSET}/transfers`, { to: c.accountId, amount: '10' });
    expect([refused.status, refused.body.code]).to.deep.equal([422, 'TRANSFER_RESTRICTED']);
    expect((await check(a.accountId, '10')).code).to.equal(0);
  });

  it('a frozen address fails with its own code', async function () {
    const a = investors['us-accredited'] as Key;
    const frozen = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations/${encodeURIComponent(a.accountId)}/freeze`);
    expect(frozen.status, JSON.stringify(frozen.body)).to.equal(200);
    expect(codesOf(await check(a.accountId, '10'))).to.deep.equal(['RECIPIENT_FROZEN']);
    const request = await call<{ digest: string }>(issuer, 'POST', `/v1/assets/${ASSET}/approval-requests`, { action: 'unfreezeAddress', address: a.accountId });
    const unfrozen = await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations/${encodeURIComponent(a.accountId)}/unfreeze`, {
      approvals: [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, request.body.digest, networkId)),
    });
    expect(unfrozen.status, JSON.stringify(unfrozen.body)).to.equal(200);
    expect((await check(a.accountId, '10')).code).to.equal(0);
  });

  it('reports all three failing rules of one transfer', async function () {
    const retail = investors['us-retail'] as Key;
    await call(issuer, 'POST', `/v1/assets/${ASSET}/registrations/${encodeURIComponent(retail.accountId)}/freeze`);
    // Frozen, the wrong investor type for the US, and the US holder cap (2) already reached.
    const verdict = await check(retail.accountId, '10');
    expect(codesOf(verdict)).to.deep.equal(['RECIPIENT_FROZEN', 'INVESTOR_TYPE_NOT_ALLOWED', 'COUNTRY_HOLDER_CAP']);
    expect(verdict.code).to.equal(3);
  });

  it('numbers every registry change of an asset gaplessly; concurrent registrations of one asset all commit (batched)', async function () {
    const asset = 'ACME-SEQ';
    const created = await call(issuer, 'POST', '/v1/assets', { id: asset, name: 'Sequenced', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    // Everything a registration needs, prepared first, so the registrations themselves race.
    const N = 8;
    const bodies = await Promise.all(Array.from({ length: N }, async (_, i) => {
      const { input, key } = attestationRequest(networkId, { overrides: { jurisdiction: 'CH' } });
      const attested = await call<{ attestation: { id: string } }>(certifier, 'POST', '/v1/attestations', input);
      expect(attested.status, JSON.stringify(attested.body)).to.equal(201);
      const put = await call(issuer, 'POST', '/v1/investors', attributes(`inv-seq-${i}`, 'CH', 'professional'));
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
      const registration = { address: key.accountId, investor: `inv-seq-${i}`, certifier: 'Certifier1MSP', attestationId: attested.body.attestation.id };
      const request = await call<{ digest: string }>(issuer, 'POST', `/v1/assets/${asset}/approval-requests`, { action: 'register', ...registration });
      return { ...registration, approvals: [officers[0], officers[2]].map((o) => approve(o as Key, asset, request.body.digest, networkId)) };
    }));
    // N registrations at once, plus the first one again: that one alone is refused.
    const replies = await Promise.all([...bodies, bodies[0]].map((body) => call<{ transactionId: string; code?: string }>(issuer, 'POST', `/v1/assets/${asset}/registrations`, body)));
    expect(replies.slice(1, N).map((r) => r.status), JSON.stringify(replies.map((r) => r.body))).to.deep.equal(Array(N - 1).fill(201));
    expect([replies[0]?.status, replies[N]?.status].sort()).to.deep.equal([201, 409]);
    const txIds = new Set(replies.filter((r) => r.status === 201).map((r) => r.body.transactionId));
    expect(txIds.size, 'registrations share batch transactions').to.be.lessThan(N);

    const address = (i: number) => (bodies[i] as { address: string }).address;
    const deregistered = await call(issuer, 'POST', `/v1/assets/${asset}/registrations/${encodeURIComponent(address(1))}/deregister`);
    expect(deregistered.status, JSON.stringify(deregistered.body)).to.equal(200);
    const frozen = await call(issuer, 'POST', `/v1/assets/${asset}/registrations/${encodeURIComponent(address(2))}/freeze`);
    expect(frozen.status, JSON.stringify(frozen.body)).to.equal(200);
    expect((await call(issuer, 'POST', `/v1/assets/${asset}/freeze`)).status).to.equal(200);

    type Page = { head: number; changes: { seq: number; op: string; address: string; txId: string }[] };
    const all: Page['changes'] = [];
    for (let fromSeq = 1; ;) {
      const page = await call<Page>(issuer, 'GET', `/v1/assets/${asset}/registry-changes?fromSeq=${fromSeq}&limit=3`);
      expect(page.status, JSON.stringify(page.body)).to.equal(200);
      expect(page.body.head).to.equal(N + 3);
      if (page.body.changes.length === 0) break;
      all.push(...page.body.changes);
      fromSeq = (page.body.changes.at(-1) as { seq: number }).seq + 1;
    }
    expect(all.map((c) => c.seq)).to.deep.equal(Array.from({ length: N + 3 }, (_, i) => i + 1));
    expect(all.slice(0, N).map((c) => c.op)).to.deep.equal(Array(N).fill('authenticate'));
    expect(all.slice(0, N).map((c) => c.address)).to.have.members(bodies.map((b) => b.address));
    expect(new Set(all.slice(0, N).map((c) => c.txId))).to.deep.equal(txIds);
    expect(all.slice(N).map((c) => `${c.op} ${c.address}`)).to.deep.equal([`revoke ${address(1)}`, `freeze ${address(2)}`, 'freezeAsset ']);
  });

  it('a rule set with a future effective date changes the verdict only from that date; lock-up by transaction time', async function () {
    const a = investors['us-accredited'] as Key;
    const ch = await onboard('ch-professional', 'CH', 'professional');
    expect((await check(ch.accountId, '10', a.accountId)).code).to.equal(0);
    const effectiveFrom = Date.now() + 6000;
    lockedUntil = effectiveFrom + 8000;
    const v2 = securities(iso(effectiveFrom), { lockUp: { periods: [{ jurisdictions: ['US'], until: iso(lockedUntil) }] } });
    const published = await call(issuer, 'POST', `/v1/assets/${ASSET}/rule-sets`, v2);
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    expect((await check(ch.accountId, '10', a.accountId)).code, 'before the effective date').to.equal(0);
    await sleep(effectiveFrom - Date.now() + 500);
    const locked = await check(ch.accountId, '10', a.accountId);
    expect(codesOf(locked)).to.deep.equal(['LOCKED_UP']);
    await sleep(lockedUntil - Date.now() + 500);
    expect((await check(ch.accountId, '10', a.accountId)).code, 'after the lock-up').to.equal(0);
  });

  it('answers transfer checks from the gateway\'s block-fed replica once it has caught up', async function () {
    const a = investors['us-accredited'] as Key;
    const ch = investors['ch-professional'] as Key;
    expect(await metric(issuer, 'kyc_gateway_replica_caught_up')).to.equal(1);
    const before = (await metric(issuer, 'kyc_gateway_transfer_checks_total', 'source="replica"')) ?? 0;
    const peerBefore = (await metric(issuer, 'kyc_gateway_transfer_checks_total', 'source="peer"')) ?? 0;
    for (let i = 0; i < 5; i++) expect((await check(ch.accountId, '10', a.accountId)).code).to.equal(0);
    expect(await metric(issuer, 'kyc_gateway_transfer_checks_total', 'source="replica"')).to.equal(before + 5);
    expect(await metric(issuer, 'kyc_gateway_transfer_checks_total', 'source="peer"')).to.equal(peerBefore);
    expect(await metric(issuer, 'kyc_gateway_replica_keys', 'store="private"')).to.be.greaterThan(0);
  });

  it('records 100 decisions; after the rules change, replay gives the same 100 verdicts', async function () {
    const targets = ['us-retail', 'us-accredited', 'us-accredited-3', 'ch-professional'].map((n) => (investors[n] as Key).accountId);
    const ids: string[] = [];
    const verdicts: Verdict[] = [];
    for (let i = 0; i < 100; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => call<{ transactionId: string; result: { id: string; verdict: Verdict } }>(issuer, 'POST', `/v1/assets/${ASSET}/transfer-checks`, {
        to: targets[(i + j) % targets.length], amount: String(1 + i + j), record: true,
      })));
      for (const reply of batch) {
        expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
        ids.push(reply.body.result.id);
        verdicts.push(reply.body.result.verdict);
      }
    }
    expect(new Set(verdicts.map((v) => v.code)).size, 'the decisions differ').to.be.greaterThan(1);
    const effectiveFrom = Date.now() + 4000;
    const v3 = securities(iso(effectiveFrom), { investorTypes: { byJurisdiction: { '*': { investorTypes: ['institutional'] } } } });
    expect((await call(issuer, 'POST', `/v1/assets/${ASSET}/rule-sets`, v3)).status).to.equal(201);
    await sleep(effectiveFrom - Date.now() + 500);
    const now = await check(targets[1] as string, '2');
    expect(codesOf(now), 'the new rules decide differently').to.include('INVESTOR_TYPE_NOT_ALLOWED');
    for (const [i, id] of ids.entries()) {
      const replay = await call<{ same: boolean; replayed: Verdict }>(issuer, 'POST', `/v1/assets/${ASSET}/decisions/${id}/replay`);
      expect(replay.status, JSON.stringify(replay.body)).to.equal(200);
      expect(replay.body.same, `decision ${i}`).to.equal(true);
      expect(replay.body.replayed.code).to.equal(verdicts[i]?.code);
    }
    // The same through the command-line replay tool, with the issuer gateway's identity.
    const cli = execFileSync(process.execPath, [
      path.join(REPO_ROOT, 'gateway', 'dist', 'cli.js'), 'replay', '--json', '--asset', ASSET,
      '--config', path.join(network.layout.root, 'gateways', 'issuer1.yaml'), ...ids.slice(0, 10),
    ], { encoding: 'utf8' });
    const summary = JSON.parse(cli) as { replayed: number; different: number; results: { recorded: Verdict }[] };
    expect([summary.replayed, summary.different]).to.deep.equal([10, 0]);
    expect(summary.results.map((r) => r.recorded.code)).to.deep.equal(verdicts.slice(0, 10).map((v) => v.code));
  });

  it('another bank cannot read an investor\'s private attributes, and no block holds them', async function () {
    const ref = JSON.stringify({ issuer: 'Issuer1MSP', certifier: 'Certifier1MSP', id: 'inv-us-retail' });
    const bank2 = connectAs(network, 'bank2');
    try {
      await bank2.contract.evaluateTransaction('investor:get', ref);
      expect.fail('bank2 read the record');
    } catch (error) {
      expect(String((error as { details?: { message: string }[] }).details?.map((d) => d.message))).to.contain('FORBIDDEN');
    }
    try {
      // Even at the issuer's own peer.
      await bank2.contract.newProposal('investor:get', { arguments: [ref], endorsingOrganizations: ['Issuer1MSP'] }).evaluate();
      expect.fail('bank2 read the record at the issuer peer');
    } catch (error) {
      expect(String((error as { details?: { message: string }[] }).details?.map((d) => d.message))).to.match(/FORBIDDEN|access/i);
    } finally {
      bank2.close();
    }
    const read = await call<Record<string, unknown>>(issuer, 'GET', '/v1/investors/Certifier1MSP/inv-us-retail');
    expect(read.body).to.include({ jurisdiction: 'US', investorType: 'retail' });

    // Scan the bank peer's own block files for the attribute values' JSON.
    const bank = network.config.orgs.find((o) => o.name === 'bank2');
    const peer = bank?.peers[0];
    if (!bank || !peer) throw new Error('no bank2 peer');
    const chains = `${network.layout.nodeDataDir(peer.id)}/ledgersData/chains/chains/${network.config.channel.name}`;
    const blocks = readdirSync(chains).map((f) => readFileSync(`${chains}/${f}`).toString('latin1')).join('');
    expect(blocks).to.contain('inv-us-retail');
    expect(blocks).to.not.contain('"investorType"');
    expect(blocks).to.not.contain('"amlScreenedAt"');
  });
  /** The composite key the chaincode stores an object under (fabric-shim's format). */
  const compositeKey = (type: string, ...attributes: string[]) => `\u0000${type}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

  /** The private keys (by hash, per collection) a committed transaction purged, read from its block. */
  async function purgedKeyHashes(transactionId: string): Promise<{ collection: string; keyHash: string }[]> {
    const reader = connectAs(network, 'issuer1');
    try {
      const qscc = reader.gateway.getNetwork(network.config.channel.name).getContract('qscc');
      const bytes = await qscc.evaluateTransaction('GetBlockByTxID', network.config.channel.name, transactionId);
      const block = committedWrites(common.Block.deserializeBinary(bytes), 'kyc', { map: new Map(), collections: () => true });
      return (block.privateWrites ?? []).filter((w) => w.kind === 'purge').map(({ collection, keyHash }) => ({ collection, keyHash }));
    } finally {
      reader.close();
    }
  }

  /** `investor:get` answered by one org's own peer, as that org's client: the chaincode error code. */
  async function peerAnswer(org: 'issuer1' | 'certifier1', id: string): Promise<string> {
    const client = connectAs(network, org);
    try {
      const ref = JSON.stringify({ issuer: 'Issuer1MSP', certifier: 'Certifier1MSP', id });
      const mspId = org === 'issuer1' ? 'Issuer1MSP' : 'Certifier1MSP';
      await client.contract.newProposal('investor:get', { arguments: [ref], endorsingOrganizations: [mspId] }).evaluate();
      return 'FOUND';
    } catch (error) {
      const text = String((error as { details?: { message: string }[] }).details?.map((d) => d.message) ?? error);
      return /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? text;
    } finally {
      client.close();
    }
  }

  for (const asker of ['issuer', 'certifier'] as const) {
    it(`erasure asked by the ${asker} first: the record and the decisions' personal inputs are purged on every member peer, checks and replays answer coded`, async function () {
      const name = `erase-${asker}`;
      const id = `inv-${name}`;
      const person = await onboard(name, 'CH', 'professional');
      const decisions: string[] = [];
      // Two recorded at once: they race on the person's decision index, and the gateway retries.
      const recorded = await Promise.all(['3', '4'].map((amount) => call<{ result: { id: string } }>(issuer, 'POST', `/v1/assets/${ASSET}/transfer-checks`, { to: person.accountId, amount, record: true })));
      for (const reply of recorded) {
        expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
        decisions.push(reply.body.result.id);
      }
      const before = await call<{ outcome: string; same: boolean }>(issuer, 'POST', `/v1/assets/${ASSET}/decisions/${decisions[0]}/replay`);
      expect([before.body.outcome, before.body.same]).to.deep.equal(['REPLAYED', true]);
      expect(await peerAnswer('certifier1', id)).to.equal('FOUND');

      const erased = asker === 'issuer'
        ? await call<{ transactionId: string; result: Record<string, unknown> }>(issuer, 'POST', `/v1/investors/Certifier1MSP/${id}/erase`)
        : await call<{ transactionId: string; result: Record<string, unknown> }>(certifier, 'POST', `/v1/investors/Issuer1MSP/${id}/erase`);
      expect(erased.status, JSON.stringify(erased.body)).to.equal(200);
      expect(erased.body.result).to.include({ erased: id, recordPurged: true, decisionsPurged: 2, erasedBy: asker === 'issuer' ? 'Issuer1MSP' : 'Certifier1MSP' });

      // The block purges (Fabric's purgePrivateData) the record, each decision input and the index, by key hash.
      const collection = 'investor__Issuer1MSP__Certifier1MSP';
      const expected = [
        compositeKey('investor', id),
        ...decisions.map((d) => compositeKey('decision~party', ASSET, d, 'to')),
        compositeKey('investor~decisions', id),
      ].map((key) => ({ collection, keyHash: sha256(key) }));
      expect(await purgedKeyHashes(erased.body.transactionId)).to.have.deep.members(expected);

      // Every member org's own peer: the record is gone (ERASED); the other peer may commit a moment later.
      for (const org of ['issuer1', 'certifier1'] as const) {
        let answer = await peerAnswer(org, id);
        for (let i = 0; i < 20 && answer === 'FOUND'; i++) {
          await sleep(250);
          answer = await peerAnswer(org, id);
        }
        expect(answer, org).to.equal('ERASED');
      }
      const read = await call<{ code: string }>(issuer, 'GET', `/v1/investors/Certifier1MSP/${id}`);
      expect([read.status, read.body.code]).to.deep.equal([410, 'ERASED']);
      const again = asker === 'issuer'
        ? await call<{ code: string }>(certifier, 'POST', `/v1/investors/Issuer1MSP/${id}/erase`)
        : await call<{ code: string }>(issuer, 'POST', `/v1/investors/Certifier1MSP/${id}/erase`);
      expect([again.status, again.body.code], 'the other party is told it is done').to.deep.equal([410, 'ERASED']);

      // Checks answer with a restriction code; the decisions keep verdicts and hashes, not inputs.
      const verdict = await check(person.accountId, '1');
      expect(codesOf(verdict)).to.include('INVESTOR_RECORD_MISSING');
      for (const d of decisions) {
        const decision = await call<{ input?: unknown; erased: string[]; verdict: { inputsHash: string } }>(issuer, 'GET', `/v1/assets/${ASSET}/decisions/${d}`);
        expect([decision.status, decision.body.input, decision.body.erased]).to.deep.equal([200, undefined, ['to']]);
        expect(decision.body.verdict.inputsHash).to.match(/^[0-9a-f]{64}$/);
        const replay = await call<{ outcome: string; erased: string[] }>(issuer, 'POST', `/v1/assets/${ASSET}/decisions/${d}/replay`);
        expect([replay.status, replay.body.outcome, replay.body.erased]).to.deep.equal([200, 'INPUTS_ERASED', ['to']]);
      }
      const cli = execFileSync(process.execPath, [
        path.join(REPO_ROOT, 'gateway', 'dist', 'cli.js'), 'replay', '--json', '--asset', ASSET,
        '--config', path.join(network.layout.root, 'gateways', 'issuer1.yaml'), ...decisions,
      ], { encoding: 'utf8' });
      const summary = JSON.parse(cli) as { replayed: number; different: number; erased: number };
      expect([summary.replayed, summary.different, summary.erased]).to.deep.equal([0, 0, 2]);
    });
  }
});
