import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Proposal } from '@kyc-ledger/api';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { ruleSetHash, validateRuleSet } from '@kyc-ledger/rules';
import { consentToSession, openWallet, type Wallet } from '@kyc-ledger/wallet';
import { REPO_ROOT, createTestNetwork, testProgress } from '../support/testNetwork';

const CLI = path.join(REPO_ROOT, 'network', 'dist', 'cli.js');
const PERSON = { givenName: 'Maja', familyName: 'Lindqvist', birthDate: '1991-02-17', nationality: 'CH', documentNumber: 'K4Q8Z1M7' };

interface Reply<T> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(gateway: GatewayEndpoint, method: 'GET' | 'POST', route: string, apiKey: string | null, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { ...(apiKey && { 'x-api-key': apiKey }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('consortium governance through kyc-network governance and the admin routes (real network)', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let gateways: Record<string, GatewayEndpoint>;
  let trust: Record<string, string[]>;
  let networkId: string;

  const gateway = (org: string) => gateways[org] as GatewayEndpoint;

  /**
   * `kyc-network --json governance …` against the test network; the parsed stdout. Run without
   * blocking the event loop: a blocked loop misses the gateways closing idle keep-alive sockets,
   * and the next fetch would pick a dead one.
   */
  async function governance<T>(...args: string[]): Promise<T> {
    const global = ['--name', network.config.name, '--data-dir', network.layout.root, '--port-base', String(network.config.portBase), '--json'];
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [CLI, '-f', path.join(REPO_ROOT, 'network.yaml'), ...global, 'governance', ...args], { encoding: 'utf8' });
      return JSON.parse(stdout) as T;
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      throw new Error(`governance ${args.join(' ')} exited ${failed.code}: ${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    }
  }

  before(async function () {
    network = createTestNetwork('governance', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 400);
    const up = await network.up(testProgress());
    gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    networkId = `${network.config.name}/${network.config.channel.name}`;
    trust = Object.fromEntries(network.config.orgs.map((org) => {
      const dir = path.join(network.layout.orgMsp(org), 'cacerts');
      return [org.mspId, readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'))];
    }));
  });

  after(async function () {
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  async function certifiedPerson(): Promise<{ wallet: Wallet; attestationId: string }> {
    const wallet = await openWallet({ path: path.join(mkdtempSync(path.join(tmpdir(), 'kyc-wallet-')), 'wallet.json'), insecurePlaintext: true, create: true });
    await wallet.createKey({ kind: 'secp256k1', label: 'me' });
    await wallet.commit({ fields: PERSON, label: 'passport' });
    const { request, attestationId } = await wallet.requestAttestation({ key: 'me', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: networkId, commitment: 'passport' });
    const registered = await call(gateway('certifier1'), 'POST', '/v1/attestations', gateway('certifier1').apiKey, {
      ...request, jurisdiction: 'CH', assuranceLevel: 'substantial', expiresAt: '2030-01-01T00:00:00Z', evidenceHash: 'e1'.repeat(32),
    });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    await wallet.attach({ commitment: 'passport', attestationId });
    return { wallet, attestationId };
  }

  /** Bank One verifies the person: a new session, the wallet's consent, the verdict. */
  async function verifyAtBank1(person: { wallet: Wallet }): Promise<{ verified: boolean; reasons: { code: string }[] }> {
    const created = await call<{ uri: string }>(gateway('bank1'), 'POST', '/v1/sessions', gateway('bank1').apiKey, { fields: ['familyName'], claimTopics: ['identity'] });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const result = await consentToSession(person.wallet, created.body.uri, { commitment: 'passport', trustedCas: trust, submit: true });
    expect(result.response?.status, JSON.stringify(result.response?.body)).to.equal(200);
    return result.response?.body as { verified: boolean; reasons: { code: string }[] };
  }

  it('publishes a banking rule set with the CLI, each org approving as its own admin; the read route shows its hash', async function () {
    const example = JSON.parse(readFileSync(path.join(REPO_ROOT, 'chaincode', 'compliance-examples', 'banking-fatf-2026.json'), 'utf8')) as Record<string, unknown>;
    const ruleSet = { ...example, effectiveFrom: new Date(Date.now() + 3_600_000).toISOString() };
    const checked = validateRuleSet(ruleSet);
    if (!checked.ok) throw new Error(`example rule set invalid: ${checked.problems.join('; ')}`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kyc-rules-')), 'banking.json');
    writeFileSync(file, JSON.stringify(ruleSet));

    const proposed = await governance<{ proposal: Proposal; transactionId: string }>('propose', 'publishRuleSet', '--org', 'bank1', '--payload-file', file);
    expect(proposed.proposal).to.include({ status: 'open', proposer: 'Bank1MSP', action: 'publishRuleSet' });
    const id = proposed.proposal.id;
    expect((await governance<{ proposals: Proposal[] }>('list', '--status', 'open')).proposals.map((p) => p.id)).to.include(id);
    expect((await governance<{ proposal: Proposal }>('approve', id, '--org', 'bank2')).proposal.status).to.equal('open');
    const executed = (await governance<{ proposal: Proposal }>('approve', id, '--org', 'issuer1')).proposal;
    expect(executed.status).to.equal('executed');
    expect(executed.approvals).to.deep.equal(['Bank1MSP', 'Bank2MSP', 'Issuer1MSP']);

    const expected = ruleSetHash(checked.ruleSet);
    const listed = await call<{ ruleSets: { hash: string; ruleSet: { effectiveFrom: string } }[]; inForce: string | null }>(gateway('certifier1'), 'GET', '/v1/governance/rule-sets', gateway('certifier1').apiKey);
    expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
    expect(listed.body.ruleSets.map((v) => v.hash)).to.include(expected);
    // It takes effect in an hour, so it is not in force yet.
    expect(listed.body.inForce).to.not.equal(expected);
    expect((await governance<{ ruleSets: { hash: string }[] }>('rule-sets')).ruleSets.map((v) => v.hash)).to.include(expected);
  });

  it('de-accredits certifier1 by majority through three orgs\' admin routes: its attestation fails verification right after', async function () {
    const person = await certifiedPerson();
    expect(await verifyAtBank1(person)).to.include({ verified: true });

    const proposed = await call<{ result: Proposal }>(gateway('bank1'), 'POST', '/v1/governance/proposals', gateway('bank1').adminApiKey, { action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } });
    expect(proposed.status, JSON.stringify(proposed.body)).to.equal(201);
    const id = proposed.body.result.id;

    // Keys of the orgs' roles are refused on the admin routes, and change nothing.
    for (const org of ['bank2', 'issuer1', 'certifier1']) {
      const refused = await call<{ code: string }>(gateway(org), 'POST', `/v1/governance/proposals/${id}/approve`, gateway(org).apiKey);
      expect([refused.status, refused.body.code]).to.deep.equal([403, 'FORBIDDEN']);
    }
    const refusedPropose = await call<{ code: string }>(gateway('bank2'), 'POST', '/v1/governance/proposals', gateway('bank2').apiKey, { action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } });
    expect([refusedPropose.status, refusedPropose.body.code]).to.deep.equal([403, 'FORBIDDEN']);
    const shown = await call<Proposal>(gateway('bank2'), 'GET', `/v1/governance/proposals/${id}`, gateway('bank2').adminApiKey);
    expect(shown.body).to.include({ status: 'open' });
    expect(shown.body.approvals).to.deep.equal(['Bank1MSP']);
    expect(await verifyAtBank1(person)).to.include({ verified: true });

    const second = await call<{ result: Proposal }>(gateway('bank2'), 'POST', `/v1/governance/proposals/${id}/approve`, gateway('bank2').adminApiKey);
    expect([second.status, second.body.result.status]).to.deep.equal([200, 'open']);
    const third = await call<{ result: Proposal }>(gateway('issuer1'), 'POST', `/v1/governance/proposals/${id}/approve`, gateway('issuer1').adminApiKey);
    expect([third.status, third.body.result.status]).to.deep.equal([200, 'executed']);

    // Right after the executing approval committed: the same person no longer verifies.
    const after = await verifyAtBank1(person);
    expect(after.verified).to.equal(false);
    expect(after.reasons.map((r) => r.code)).to.include('CERTIFIER_NOT_ACCREDITED');

    const accreditations = await call<{ accreditations: { certifier: string; status: string }[] }>(gateway('bank1'), 'GET', '/v1/governance/accreditations', gateway('bank1').apiKey);
    expect(accreditations.body.accreditations.find((a) => a.certifier === 'Certifier1MSP')?.status).to.equal('revoked');
    expect((await governance<{ accreditations: { certifier: string; status: string }[] }>('accreditations')).accreditations.find((a) => a.certifier === 'Certifier1MSP')?.status).to.equal('revoked');
    expect((await governance<Proposal>('show', id)).status).to.equal('executed');
  });
});
