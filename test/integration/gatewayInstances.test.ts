import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { decodeSessionUri, type BankSession, type WalletSubmission } from '@kyc-ledger/crypto';
import { createGatewayLogger, loadGatewayConfig, startGateway, type RunningGateway } from '@kyc-ledger/gateway';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { openWallet, type Wallet } from '@kyc-ledger/wallet';
import { createTestNetwork, testProgress } from '../support/testNetwork';

const PERSON = { givenName: 'Élodie', familyName: 'Zwahlen', birthDate: '1988-11-03', nationality: 'CH', documentNumber: 'C7Y4K29Q' };

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(url: string, apiKey: string | undefined, method: 'GET' | 'POST', route: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { ...(apiKey && { 'x-api-key': apiKey }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/**
 * Two instances of bank1's gateway on one ledger: A is the network's own gateway process, B a
 * second gateway with the same configuration (same identity and API keys), on another port and
 * with its own data directory, as a second machine or core would run it.
 */
describe('several instances of one bank\'s gateway (end-to-end)', function () {
  this.timeout(20 * 60_000);
  let network: Network;
  let a: GatewayEndpoint;
  let b: RunningGateway;
  let wallet: Wallet;
  let networkId: string;

  before(async function () {
    network = createTestNetwork('instances', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 3500);
    const up = await network.up(testProgress());
    const gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    a = gateways['bank1'] as GatewayEndpoint;
    networkId = `${network.config.name}/${network.config.channel.name}`;
    const config = loadGatewayConfig({ file: path.join(network.layout.root, 'gateways', 'bank1.yaml'), env: {} });
    b = await startGateway(
      { ...config, listen: { ...config.listen, port: 0 }, dataDir: mkdtempSync(path.join(tmpdir(), 'kyc-instance-b-')) },
      { logger: createGatewayLogger({ level: 'silent' }) },
    );
    // A certified person whose wallet answers sessions.
    wallet = await openWallet({ path: path.join(mkdtempSync(path.join(tmpdir(), 'kyc-wallet-')), 'wallet.json'), insecurePlaintext: true, create: true });
    await wallet.createKey({ kind: 'secp256k1', label: 'me' });
    await wallet.commit({ fields: PERSON, label: 'passport' });
    const { request, attestationId } = await wallet.requestAttestation({ key: 'me', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: networkId, commitment: 'passport' });
    const certifier = gateways['certifier1'] as GatewayEndpoint;
    const registered = await call(certifier.url, certifier.apiKey, 'POST', '/v1/attestations', {
      ...request, jurisdiction: 'CH', assuranceLevel: 'substantial', expiresAt: '2030-01-01T00:00:00Z', evidenceHash: 'e1'.repeat(32),
    });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    await wallet.attach({ commitment: 'passport', attestationId });
  });

  after(async function () {
    await b?.close();
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  async function newSession(): Promise<BankSession> {
    const created = await call<{ uri: string }>(a.url, a.apiKey, 'POST', '/v1/sessions', { fields: ['familyName', 'givenName'], claimTopics: ['identity'] });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.not.have.property('qr');
    return decodeSessionUri(created.body.uri);
  }

  const submission = (session: BankSession): WalletSubmission => wallet.buildConsent(session, { commitment: 'passport' });
  const submit = (url: string, body: WalletSubmission) => call<{ verified?: boolean; code?: string; receiptTransactionId?: string }>(url, undefined, 'POST', '/v1/sessions/submissions', body);

  it('takes at B a session created at A; the replay at A is refused by the ledger; A reads the verdict from the receipt', async function () {
    const session = await newSession();
    const body = submission(session);
    const atB = await submit(b.url, body);
    expect(atB.status, JSON.stringify(atB.body)).to.equal(200);
    expect(atB.body).to.include({ verified: true });
    const replay = await submit(a.url, body);
    expect(replay.status, JSON.stringify(replay.body)).to.equal(409);
    expect(replay.body).to.include({ code: 'SESSION_ALREADY_USED' });
    const atA = await call<{ state: string; verdictSource: string; verdict: Record<string, unknown> }>(a.url, a.apiKey, 'GET', `/v1/sessions/${session.sessionId}`);
    expect(atA.status).to.equal(200);
    expect(atA.body).to.include({ state: 'verified', verdictSource: 'ledger' });
    expect(atA.body.verdict).to.include({ verified: true, receiptTransactionId: atB.body.receiptTransactionId });
    expect(atA.body.verdict).to.not.have.property('fields');
    const atBStatus = await call<{ verdictSource: string; verdict: { fields: Record<string, string> } }>(b.url, a.apiKey, 'GET', `/v1/sessions/${session.sessionId}`);
    expect(atBStatus.body.verdictSource).to.equal('memory');
    expect(atBStatus.body.verdict.fields).to.deep.equal({ familyName: 'Zwahlen', givenName: 'Élodie' });
  });

  it('verifies exactly once when the same submission reaches A and B at the same time', async function () {
    for (let round = 0; round < 3; round++) {
      const session = await newSession();
      const body = submission(session);
      const replies = await Promise.all([submit(a.url, body), submit(b.url, body)]);
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(replies)).to.deep.equal([200, 409]);
      expect(replies.find((r) => r.status === 200)?.body).to.include({ verified: true });
      expect(replies.find((r) => r.status === 409)?.body).to.include({ code: 'SESSION_ALREADY_USED' });
    }
  });
});
