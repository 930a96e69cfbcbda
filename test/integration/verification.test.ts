import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { decodeSessionUri, parseAccountId, type BankSession, type KeyKind } from '@kyc-ledger/crypto';
import { binaryPath, peerCliEnv, type GatewayEndpoint, type Network } from '@kyc-ledger/network';
import { consentToSession, openWallet, showSession, type Wallet } from '@kyc-ledger/wallet';
import { createTestNetwork, eventually, testProgress } from '../support/testNetwork';
import { junkString, mutateBody, pick, rawBadBody, seededRng, WRONG_CONTENT_TYPES, wrongKey } from '../unit/gateway/malformedRequests';
import { metric } from '../support/gatewayMetric';
import { consentTransactions, readBlocks } from '../support/consentTransactions';
import { connectAs } from '../support/gatewayClient';

const PERSON = { givenName: 'Élodie', familyName: 'Zwahlen', birthDate: '1988-11-03', nationality: 'CH', documentNumber: 'C7Y4K29Q' };

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(gateway: GatewayEndpoint, method: 'GET' | 'POST', route: string, body?: unknown, apiKey: string | null = gateway.apiKey): Promise<Reply<T>> {
  const res = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { ...(apiKey && { 'x-api-key': apiKey }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** One sample of a gateway's /metrics (the first series of that name holding `label`). */
describe('verification through the REST gateways and the wallet (end-to-end)', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let gateways: Record<string, GatewayEndpoint>;
  let trust: Record<string, string[]>;
  let networkId: string;

  before(async function () {
    network = createTestNetwork('verify', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 3000);
    const up = await network.up(testProgress());
    gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    networkId = `${network.config.name}/${network.config.channel.name}`;
    // What a wallet app ships with: the member orgs' CA certificates, by MSP ID.
    trust = Object.fromEntries(network.config.orgs.map((org) => {
      const dir = path.join(network.layout.orgMsp(org), 'cacerts');
      return [org.mspId, readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'))];
    }));
  });

  after(async function () {
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  /** A person with a wallet, certified by the certifier through its gateway. */
  async function certifiedPerson(kind: KeyKind, expiresAt = '2030-01-01T00:00:00Z'): Promise<{ wallet: Wallet; attestationId: string; accountId: string }> {
    const wallet = await openWallet({ path: path.join(mkdtempSync(path.join(tmpdir(), 'kyc-wallet-')), 'wallet.json'), insecurePlaintext: true, create: true });
    const key = await wallet.createKey({ kind, label: 'me' });
    await wallet.commit({ fields: PERSON, label: 'passport' });
    const { request, attestationId } = await wallet.requestAttestation({ key: 'me', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: networkId, commitment: 'passport' });
    const certifier = gateways['certifier1'] as GatewayEndpoint;
    const registered = await call<{ attestation: { id: string } }>(certifier, 'POST', '/v1/attestations', {
      ...request, jurisdiction: 'CH', assuranceLevel: 'substantial', expiresAt, evidenceHash: 'e1'.repeat(32),
    });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    expect(registered.body.attestation.id).to.equal(attestationId);
    await wallet.attach({ commitment: 'passport', attestationId });
    return { wallet, attestationId, accountId: key.accountId };
  }

  async function newSession(bank: 'bank1' | 'bank2', fields = ['familyName', 'givenName']): Promise<{ uri: string; session: BankSession; sessionId: string }> {
    // The counter page's request: the QR code as an image (an API client leaves ?qr out and gets the uri only).
    const created = await call<{ uri: string; sessionId: string; qr: { svg: string } }>(gateways[bank] as GatewayEndpoint, 'POST', '/v1/sessions?qr=svg', { fields, claimTopics: ['identity'] });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.qr.svg).to.contain('<svg');
    return { uri: created.body.uri, session: decodeSessionUri(created.body.uri), sessionId: created.body.sessionId };
  }

  for (const kind of ['secp256k1', 'ed25519', 'p256', 'bitcoin-p2wpkh'] as const) {
    it(`verifies a ${kind} person: 2 of 5 fields disclosed, bank signed the session, receipt on the ledger`, async function () {
      const person = await certifiedPerson(kind);
      const { uri, sessionId } = await newSession('bank1');
      const shown = showSession(uri, { trustedCas: trust });
      expect(shown.summary.bank).to.deep.equal({ mspId: 'Bank1MSP', name: 'Bank One' });
      const result = await consentToSession(person.wallet, uri, { commitment: 'passport', trustedCas: trust, submit: true });
      expect(result.response?.status, JSON.stringify(result.response?.body)).to.equal(200);
      expect(result.response?.body).to.include({ verified: true });
      const status = await call<{ state: string; verdict: { fields: Record<string, string>; address: string } }>(gateways['bank1'] as GatewayEndpoint, 'GET', `/v1/sessions/${sessionId}`);
      expect(status.body.state).to.equal('verified');
      expect(status.body.verdict.fields).to.deep.equal({ familyName: 'Zwahlen', givenName: 'Élodie' });
      expect(status.body.verdict.address).to.equal(person.accountId);
      expect(parseAccountId(person.accountId).chainId).to.be.a('string');
    });
  }

  /** Stable JSON with sorted keys, as the chaincode stores values (flat ASCII records here). */
  const sortedJson = (value: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
  const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

  it('keeps receipts private to the recording bank: another bank can neither read them nor burn a session', async function () {
    const person = await certifiedPerson('secp256k1');
    const bank1 = gateways['bank1'] as GatewayEndpoint;
    const bank2 = gateways['bank2'] as GatewayEndpoint;
    // Bank Two records a receipt under the hash of Bank One's open session (its id is in the QR code).
    const open = await newSession('bank1');
    const openHash = sha256(open.sessionId);
    const bank2Client = connectAs(network, 'bank2');
    try {
      const squat = { sessionIdHash: openHash, subject: person.accountId, attestationId: person.attestationId, result: 'rejected', reasons: ['SUBJECT_MISMATCH'], consentHash: 'c0'.repeat(32), salt: '5a'.repeat(32) };
      const answer = JSON.parse(Buffer.from(await bank2Client.contract.submit('consent:recordBatch', { transientData: { receipts: JSON.stringify([squat]) }, endorsingOrganizations: ['Bank2MSP'] })).toString()) as unknown;
      expect(answer).to.deep.equal({ recorded: 1, results: [{ recorded: true }] });
    } finally {
      bank2Client.close();
    }
    // Bank One's session is still usable, and its person verifies.
    const result = await consentToSession(person.wallet, open.uri, { commitment: 'passport', trustedCas: trust, submit: true });
    expect(result.response?.status, JSON.stringify(result.response?.body)).to.equal(200);
    expect(result.response?.body).to.include({ verified: true });
    const own = await call<{ receipt: Record<string, unknown>; valueHash: string }>(bank1, 'GET', `/v1/receipts/${openHash}`);
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(own.body.receipt).to.include({ bank: 'Bank1MSP', result: 'verified', subject: person.accountId, attestationId: person.attestationId });
    // Bank Two's gateway finds only Bank Two's own receipt for that session, never Bank One's.
    const theirs = await call<{ receipt: Record<string, unknown> }>(bank2, 'GET', `/v1/receipts/${openHash}`);
    expect(theirs.body.receipt).to.include({ bank: 'Bank2MSP', result: 'rejected' });

    // A session only Bank One used: nothing for Bank Two, through its gateway or the raw peer CLI as its admin.
    const only = await newSession('bank1');
    const onlyHash = sha256(only.sessionId);
    const verified = await consentToSession(person.wallet, only.uri, { commitment: 'passport', trustedCas: trust, submit: true });
    expect(verified.response?.body).to.include({ verified: true });
    expect((await call(bank1, 'GET', `/v1/receipts/${onlyHash}`)).status).to.equal(200);
    const notFound = await call(bank2, 'GET', `/v1/receipts/${onlyHash}`);
    expect([notFound.status, (notFound.body as { code?: string }).code]).to.deep.equal([404, 'NOT_FOUND']);
    const fabric = await network.fabric();
    const bank2Org = network.config.orgs.find((o) => o.name === 'bank2');
    const bank2Peer = bank2Org?.peers[0];
    if (!bank2Org || !bank2Peer) throw new Error('bank2 missing');
    for (const org of network.config.orgs.filter((o) => o.name === 'bank1' || o.name === 'bank2')) {
      const p = org.peers[0];
      if (!p) continue;
      let output = '';
      try {
        output = execFileSync(binaryPath(fabric, 'peer'), [
          'chaincode', 'query', '-C', network.config.channel.name, '-n', network.config.chaincode.name,
          '-c', JSON.stringify({ Args: ['consent:get', onlyHash] }), '--peerAddresses', `${p.host}:${p.port}`, '--tlsRootCertFiles', network.layout.peer(org, p).tlsCa,
        ], { env: peerCliEnv(network.layout, bank2Org, bank2Peer, fabric), encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        output = String((error as { stderr?: string }).stderr);
      }
      expect(output.replace(/\\"/g, '"'), `peer CLI as Bank2MSP admin against ${p.id}`).to.contain('"code":"NOT_FOUND"');
      expect(output).to.not.contain(person.attestationId);
    }

    // Every block: the person's address and attestation id are in no consent transaction (arguments,
    // public read and write sets, event, response); the block holds only Fabric's private-data hashes.
    const height = BigInt(Math.max(...(await network.status()).nodes.filter((n) => n.kind === 'peer' && n.org === 'bank1').map((n) => Number(n.height ?? 0))));
    const reader = connectAs(network, 'bank1');
    let txs;
    try {
      txs = (await readBlocks(reader.gateway.getNetwork(network.config.channel.name), height)).flatMap((b) => consentTransactions(b, network.config.chaincode.name));
    } finally {
      reader.close();
    }
    const address = parseAccountId(person.accountId).address;
    const needles = [person.accountId, address, address.toLowerCase(), person.attestationId].map((n) => Buffer.from(n));
    expect(txs.length).to.be.greaterThan(2);
    for (const tx of txs) {
      const parts = [tx.envelope, ...tx.args, tx.response, ...(tx.event ? [Buffer.from(tx.event.name), tx.event.payload] : []), ...tx.publicReads.map((k) => Buffer.from(k)), ...tx.publicWrites.flatMap((w) => [Buffer.from(w.key), w.value])];
      for (const needle of needles) expect(parts.some((part) => part.includes(needle)), `${tx.txId} holds ${needle.toString()}`).to.equal(false);
      expect(tx.publicWrites, tx.txId).to.deep.equal([]);
      expect(tx.args.map((a) => a.toString()), tx.txId).to.deep.equal([tx.args[0]?.toString()]);
    }
    // Positive control: the verification's transaction holds the hash of Bank One's receipt, which
    // anyone can recompute from the receipt Bank One hands over (how a regulator is shown one).
    const receiptTx = txs.find((tx) => tx.txId === own.body.receipt.txId);
    expect(receiptTx?.valid, 'receipt transaction found and valid').to.equal(true);
    const keyHash = sha256(`\u0000receipt\u0000Bank1MSP\u0000${openHash}\u0000`);
    expect(own.body.valueHash).to.equal(sha256(sortedJson(own.body.receipt)));
    expect(receiptTx?.hashedWrites).to.deep.include({ collection: '_implicit_org_Bank1MSP', keyHash, valueHash: own.body.valueHash });
    expect(txs.some((tx) => tx.hashedWrites.some((w) => w.collection === '_implicit_org_Bank2MSP' && w.keyHash === sha256(`\u0000receipt\u0000Bank2MSP\u0000${openHash}\u0000`)))).to.equal(true);
  });

  it('answers every failure with its own code', async function () {
    const person = await certifiedPerson('secp256k1');
    const bank1 = gateways['bank1'] as GatewayEndpoint;

    // A tampered field value: the disclosure no longer hashes to the root on the ledger.
    let s = await newSession('bank1');
    let submission = (await consentToSession(person.wallet, s.uri, { commitment: 'passport', trustedCas: trust })).submission;
    const tampered = { ...submission, disclosure: { ...submission.disclosure, disclosed: { ...submission.disclosure.disclosed, givenName: { ...submission.disclosure.disclosed.givenName, value: 'Eve' } } } };
    let reply = await call<{ verified: boolean; reasons: { code: string }[] }>(bank1, 'POST', '/v1/sessions/submissions', tampered, null);
    expect(reply.status).to.equal(200);
    expect(reply.body.verified).to.equal(false);
    expect(reply.body.reasons.map((r) => r.code)).to.include('DISCLOSURE_MISMATCH');

    // The same session used twice.
    reply = await call(bank1, 'POST', '/v1/sessions/submissions', submission, null);
    expect([reply.status, (reply.body as { code?: string }).code]).to.deep.equal([409, 'SESSION_ALREADY_USED']);

    // A requested field left undisclosed.
    s = await newSession('bank1', ['birthDate', 'familyName', 'givenName']);
    submission = (await consentToSession(person.wallet, s.uri, { commitment: 'passport', trustedCas: trust })).submission;
    const { birthDate: _omitted, ...rest } = submission.disclosure.disclosed;
    void _omitted;
    reply = await call(bank1, 'POST', '/v1/sessions/submissions', { ...submission, disclosure: { ...submission.disclosure, disclosed: rest } }, null);
    expect([reply.status, (reply.body as { code?: string }).code]).to.deep.equal([422, 'CONSENT_MISMATCH']);

    // A consent given to bank 1 submitted to bank 2.
    s = await newSession('bank1');
    submission = (await consentToSession(person.wallet, s.uri, { commitment: 'passport', trustedCas: trust })).submission;
    reply = await call(gateways['bank2'] as GatewayEndpoint, 'POST', '/v1/sessions/submissions', submission, null);
    expect([reply.status, (reply.body as { code?: string }).code]).to.deep.equal([404, 'NOT_FOUND']);

    // A signature over another chain id.
    reply = await call(bank1, 'POST', '/v1/sessions/submissions', { ...submission, consent: { ...submission.consent, chain: 'eip155:5' } }, null);
    expect([reply.status, (reply.body as { code?: string }).code]).to.deep.equal([422, 'CONSENT_MISMATCH']);

    // A revoked attestation.
    const certifier = gateways['certifier1'] as GatewayEndpoint;
    const revoked = await call(certifier, 'POST', `/v1/attestations/${person.attestationId}/revoke`, { reason: 'FRAUD' });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
    // A revocation takes effect at a bank once its block reached the bank's peer (the gateway's
    // replica is fed by that peer's blocks): wait for that, as the documented guarantee says.
    await eventually(async () => {
      const st = await call<{ valid: boolean }>(bank1, 'GET', `/v1/public/attestations/${encodeURIComponent(person.accountId)}/status`, undefined, null);
      expect(st.body.valid).to.equal(false);
    }, 10_000, 100);
    await new Promise((r) => setTimeout(r, 200));
    s = await newSession('bank1');
    const after = await consentToSession(person.wallet, s.uri, { commitment: 'passport', trustedCas: trust });
    reply = await call<{ verified: boolean; reasons: { code: string }[] }>(bank1, 'POST', '/v1/sessions/submissions', after.submission, null);
    expect(reply.body.verified).to.equal(false);
    expect((reply.body as { reasons: { code: string }[] }).reasons.map((r) => r.code)).to.include('REVOKED');
    // Those verdicts came from bank1's block-fed replica, not from peer reads.
    expect(await metric(bank1, 'kyc_gateway_replica_caught_up')).to.equal(1);
    expect(await metric(bank1, 'kyc_gateway_verification_reads_total', 'source="replica"')).to.be.greaterThan(0);
  });

  it('refuses attesting outside the accreditation, and fails an attestation once expired by transaction time', async function () {
    const certifier = gateways['certifier1'] as GatewayEndpoint;
    const wallet = await openWallet({ path: path.join(mkdtempSync(path.join(tmpdir(), 'kyc-wallet-')), 'wallet.json'), insecurePlaintext: true, create: true });
    await wallet.createKey({ kind: 'ed25519', label: 'me' });
    await wallet.commit({ fields: PERSON, label: 'passport' });
    const { request } = await wallet.requestAttestation({ key: 'me', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: networkId, commitment: 'passport' });
    const base = { ...request, assuranceLevel: 'substantial', expiresAt: '2030-01-01T00:00:00Z', evidenceHash: 'e2'.repeat(32) };
    const japan = await call(certifier, 'POST', '/v1/attestations', { ...base, jurisdiction: 'JP' });
    expect([japan.status, (japan.body as { code?: string }).code]).to.deep.equal([422, 'OUT_OF_SCOPE']);
    const high = await call(certifier, 'POST', '/v1/attestations', { ...base, jurisdiction: 'CH', assuranceLevel: 'high' });
    expect([high.status, (high.body as { code?: string }).code]).to.deep.equal([422, 'OUT_OF_SCOPE']);
    const past = await call(certifier, 'POST', '/v1/attestations', { ...base, jurisdiction: 'CH', expiresAt: '2020-01-01T00:00:00Z' });
    expect([past.status, (past.body as { code?: string }).code]).to.deep.equal([400, 'INVALID_ARGUMENT']);

    // Valid for a few seconds only; verified after that, the ledger's time says EXPIRED.
    const soon = new Date(Date.now() + 8_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const person = await certifiedPerson('secp256k1', soon);
    const s = await newSession('bank1');
    const submission = (await consentToSession(person.wallet, s.uri, { commitment: 'passport', trustedCas: trust })).submission;
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(soon) - Date.now()) + 1500));
    const reply = await call<{ verified: boolean; reasons: { code: string }[] }>(gateways['bank1'] as GatewayEndpoint, 'POST', '/v1/sessions/submissions', submission, null);
    expect(reply.body.verified).to.equal(false);
    expect(reply.body.reasons.map((r) => r.code)).to.include('EXPIRED');
  });

  it('refuses a bank\'s write through the certifier route and bad input, coded, never 5xx', async function () {
    const bank1 = gateways['bank1'] as GatewayEndpoint;
    const wrongRole = await call(bank1, 'POST', '/v1/attestations', {});
    expect(wrongRole.status).to.be.oneOf([403, 404, 405]);
    const garbage = await call(bank1, 'POST', '/v1/sessions', { fields: 'all of them' });
    expect([garbage.status, (garbage.body as { code?: string }).code]).to.deep.equal([400, 'VALIDATION_FAILED']);
    const noKey = await call(bank1, 'POST', '/v1/sessions', { fields: ['givenName'] }, null);
    expect(noKey.status).to.equal(401);
  });

  it('answers 1,000 generated malformed requests per endpoint on the real gateways with coded 4xx, and the ledger does not move', async function () {
    const perEndpoint = Number(process.env.KYC_FUZZ_PER_ENDPOINT ?? 1000);
    const rng = seededRng(Number(process.env.KYC_FUZZ_SEED ?? 7));
    const certifier = gateways['certifier1'] as GatewayEndpoint;
    const bank1 = gateways['bank1'] as GatewayEndpoint;
    const person = await certifiedPerson('ed25519');
    const s = await newSession('bank1');
    const submission = (await consentToSession(person.wallet, s.uri, { commitment: 'passport', trustedCas: trust })).submission;
    // Use the session up first: every generated submission must then be refused (malformed 400 or
    // used 409) without another receipt, so the ledger cannot move.
    const used = await call(bank1, 'POST', '/v1/sessions/submissions', submission, null);
    expect(used.status).to.equal(200);
    const id = person.attestationId;
    const sig = { scheme: 'eip191', signature: `0x${'ef'.repeat(65)}` };
    const input = { subject: person.accountId, commitmentRoot: 'ab'.repeat(32), fieldNames: ['familyName'], claimTopics: ['identity'], jurisdiction: 'CH', assuranceLevel: 'low', expiresAt: '2030-01-01T00:00:00Z', evidenceHash: 'cd'.repeat(32), subjectSignature: sig };
    const endpoints: { gateway: GatewayEndpoint; method: 'GET' | 'POST'; path: string; valid?: unknown; key: boolean }[] = [
      { gateway: certifier, method: 'POST', path: '/v1/attestations', valid: input, key: true },
      { gateway: certifier, method: 'POST', path: '/v1/attestations/bulk', valid: { items: [input] }, key: true },
      { gateway: certifier, method: 'POST', path: `/v1/attestations/${id}/revoke`, valid: { reason: 'ERASED' }, key: true },
      { gateway: certifier, method: 'POST', path: `/v1/attestations/${id}/renew`, valid: { expiresAt: '2031-01-01T00:00:00Z' }, key: true },
      { gateway: certifier, method: 'POST', path: `/v1/attestations/${id}/rotate`, valid: { newSubject: person.accountId, oldKeySignature: sig, newKeySignature: sig }, key: true },
      { gateway: certifier, method: 'GET', path: `/v1/attestations?subject=${encodeURIComponent(person.accountId)}`, key: true },
      { gateway: certifier, method: 'GET', path: `/v1/public/attestations/${encodeURIComponent(person.accountId)}/status`, key: false },
      // Only required members: removing an optional one would leave a valid request.
      { gateway: bank1, method: 'POST', path: '/v1/sessions', valid: { fields: ['givenName'] }, key: true },
      { gateway: bank1, method: 'GET', path: `/v1/sessions/${s.sessionId}`, key: true },
      { gateway: bank1, method: 'POST', path: '/v1/sessions/submissions', valid: submission, key: false },
    ];
    const heightsBefore = (await network.status()).nodes.filter((n) => n.kind === 'orderer' || n.kind === 'peer').map((n) => [n.id, n.height]);
    const answers: { endpoint: string; status: number; code?: string; contentType: string }[] = [];
    for (const e of endpoints) {
      const requests = Array.from({ length: perEndpoint }, () => {
        const roll = rng();
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(e.key && { 'x-api-key': e.gateway.apiKey }) };
        if (e.key && roll < 0.15) {
          const wrong = wrongKey(rng, e.gateway.apiKey);
          const h: Record<string, string> = { 'content-type': 'application/json' };
          if (wrong !== undefined) h['x-api-key'] = wrong;
          return { method: e.method, path: e.path, headers: h, body: e.valid === undefined ? undefined : JSON.stringify(e.valid) };
        }
        if (e.method === 'GET') return { method: 'GET', path: `${e.path}${e.path.includes('?') ? '&' : '?'}${pick(rng, ['subject', 'at', 'extra'])}=${encodeURIComponent(junkString(rng))}`, headers };
        if (roll < 0.3) return { method: 'POST', path: e.path, headers: { ...headers, 'content-type': pick(rng, WRONG_CONTENT_TYPES) }, body: JSON.stringify(e.valid) };
        if (roll < 0.5) return { method: 'POST', path: e.path, headers, body: rawBadBody(rng, e.valid) };
        return { method: 'POST', path: e.path, headers, body: JSON.stringify(mutateBody(rng, e.valid)) };
      });
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const r = requests[i] as (typeof requests)[number];
          const res = await fetch(`${e.gateway.url}${r.path}`, { method: r.method, headers: r.headers, ...(r.body !== undefined && { body: r.body as string }) });
          const text = await res.text();
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          answers.push({ endpoint: `${e.method} ${e.path.split('?')[0]}`, status: res.status, ...(code !== undefined && { code }), contentType: res.headers.get('content-type') ?? '' });
        }
      }));
    }
    expect(answers).to.have.length(endpoints.length * perEndpoint);
    const serverErrors = answers.filter((a) => a.status >= 500);
    expect(serverErrors, JSON.stringify(serverErrors.slice(0, 5))).to.deep.equal([]);
    const uncoded = answers.filter((a) => a.status >= 400 && (!a.code || !a.contentType.startsWith('application/problem+json')));
    expect(uncoded, JSON.stringify(uncoded.slice(0, 5))).to.deep.equal([]);
    // Every generated request is invalid; none may have been accepted.
    const accepted = answers.filter((a) => a.status < 400);
    const byEndpoint = accepted.reduce<Record<string, number>>((acc, a) => ({ ...acc, [`${a.endpoint} ${a.status}`]: (acc[`${a.endpoint} ${a.status}`] ?? 0) + 1 }), {});
    expect(accepted.length, JSON.stringify(byEndpoint)).to.equal(0);
    const heightsAfter = (await network.status()).nodes.filter((n) => n.kind === 'orderer' || n.kind === 'peer').map((n) => [n.id, n.height]);
    expect(heightsAfter).to.deep.equal(heightsBefore);
  });
});
