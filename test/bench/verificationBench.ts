import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildConsentStatement, createBankSession, createDisclosure, signStatement, type WalletSubmission } from '@kyc-ledger/crypto';
import { assess, createAttestationView, loadGatewayConfig, newFabricLedgerClient, preflight, type AttestationView, type LedgerClient, type SessionEntry } from '@kyc-ledger/gateway';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { attestationRequest, type SignedRequest } from '../support/attestationFixtures';
import { percentile, round, runPool, type BenchReport } from './benchReport';
import { benchHttpVerification, replicaAttestations, waitReplicaAttestations } from './httpVerificationBench';

const PEOPLE = Number(process.env.KYC_BENCH_PEOPLE ?? 2000);
const READS = Number(process.env.KYC_BENCH_READS ?? 6000);
const CONCURRENCY = 64;
const FIELDS = ['familyName', 'givenName'];

interface Person extends SignedRequest {
  attestationId: string;
}

async function post(url: string, body: unknown, apiKey?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey && { 'x-api-key': apiKey }) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * The bank's verification: (1) the read path alone — the gateway's own preflight (consent and
 * signature) and assess (ledger read, status, commitments) against the real ledger, in process,
 * once through the bank's block-fed replica (the headline figure) and once reading every
 * attestation from the peer;
 * (2) whole verifications over HTTP through bank1's gateway (create session, wallet submission,
 * verdict read) at several levels in flight, each answered only after its batched consent receipt
 * committed; then every receipt is looked up on the ledger (see httpVerificationBench).
 */
export async function benchVerification(report: BenchReport, network: Network, gateways: GatewayEndpoint[], parts: { readPath: boolean; http: boolean }): Promise<void> {
  const networkId = `${network.config.name}/${network.config.channel.name}`;
  const certifier = gateways.find((g) => g.org === 'certifier1');
  const bank = gateways.find((g) => g.org === 'bank1');
  if (!certifier || !bank) throw new Error('certifier1 and bank1 gateways are needed');

  process.stderr.write(`  … certifying ${PEOPLE} people through the certifier gateway (not timed)\n`);
  const heldBefore = await replicaAttestations(bank);
  const people: Person[] = [];
  for (let start = 0; start < PEOPLE; start += 500) {
    const chunk = Array.from({ length: Math.min(500, PEOPLE - start) }, () => attestationRequest(networkId, { kind: 'ed25519' }));
    const reply = await post(`${certifier.url}/v1/attestations/bulk`, { items: chunk.map((c) => c.input) }, certifier.apiKey);
    if (reply.status !== 200) throw new Error(`bulk register failed: ${JSON.stringify(reply.body)}`);
    const ids = reply.body['ids'] as string[];
    chunk.forEach((c, i) => people.push({ ...c, attestationId: ids[i] as string }));
  }

  // The bank gateway answers from its block-fed replica: every person must have reached it.
  await waitReplicaAttestations(bank, heldBefore + PEOPLE);

  const config = loadGatewayConfig({ file: path.join(network.layout.root, 'gateways', 'bank1.yaml'), env: {} });
  const signer = { certificatePem: readFileSync(config.identity.certPath, 'utf8'), privateKeyPem: readFileSync(config.identity.keyPath, 'utf8') };
  const submissionFor = (person: Person, sessionId?: string) => {
    const session = createBankSession({ network: networkId, bank: { mspId: config.org.mspId, name: 'Bank One' }, fields: FIELDS, claimTopics: ['identity'], ttlSeconds: 3600, submitUrl: `${bank.url}/v1/sessions/submissions` }, signer);
    const used = sessionId ? { ...session, sessionId } : session;
    const consent = buildConsentStatement(used, { attestationId: person.attestationId, address: person.key.accountId });
    const submission: WalletSubmission = { consent, signature: signStatement(consent, person.key), disclosure: createDisclosure(person.commitment, FIELDS) };
    return { session: used, submission };
  };

  if (parts.readPath) {
    process.stderr.write(`  … preparing ${READS} signed consents (not timed)\n`);
    const prepared = Array.from({ length: READS }, (_, i) => submissionFor(people[i % people.length] as Person));
    const ledger = newFabricLedgerClient(config);
    // The same verification code twice: against the bank's replica (the gateway's read path) and
    // against the peer (attestation:status per verification, the path a replica that is behind takes).
    const peerOnly: LedgerClient = { submit: (fn, args, o) => ledger.submit(fn, args, o), evaluate: (fn, args) => ledger.evaluate(fn, args), ping: () => ledger.ping() };
    const peerView = createAttestationView(peerOnly);
    const catchUpStart = performance.now();
    const view = createAttestationView(ledger);
    try {
      while (!view.caughtUp) {
        if (performance.now() - catchUpStart > 120_000) throw new Error('the replica did not catch up within 120 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      report.add('verify.replica.catchUp.seconds', {
        value: (performance.now() - catchUpStart) / 1000,
        unit: 's',
        note: `a fresh bank1 view streaming blocks 0…${view.height - 1n} (${view.size} attestations) until caught up with the peer`,
      });
      const phase = async (figure: string, target: AttestationView, items: typeof prepared, source: string) => {
        let failures = 0;
        const before = target.counts;
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        const latencies = await runPool(items.length, CONCURRENCY, async (i) => {
          const { session, submission } = items[i] as (typeof prepared)[number];
          const entry: SessionEntry = { session, state: 'open' };
          const now = new Date();
          const { verdict } = await assess(target, entry, preflight(submission, entry, now), now);
          if (!verdict.verified) failures++;
        });
        if (failures > 0) throw new Error(`${failures} of ${items.length} verifications failed`);
        const after = target.counts;
        const rate = items.length / ((performance.now() - started) / 1000);
        // This process's CPU time per verdict: unlike the rate, it hardly moves when other jobs
        // share the machine, so runs under different load stay comparable.
        const cpu = process.cpuUsage(cpuBefore);
        const cpuMs = (cpu.user + cpu.system) / 1000 / items.length;
        const reads = `${after.replica - before.replica} replica / ${after.peer - before.peer} peer reads`;
        report.add(`${figure}.perSecond`, { value: rate, unit: 'verdicts/s', target: '>= 2000', note: `${items.length} verifications, ${CONCURRENCY} in flight, in process with the bank gateway's code; ${source} (${reads})` });
        report.add(`${figure}.p99`, { value: percentile(latencies, 99), unit: 'ms', target: '< 50', note: `p50 ${round(percentile(latencies, 50))} ms` });
        report.add(`${figure}.cpuPerVerdict`, { value: cpuMs, unit: 'ms', note: `CPU time of the verifying process per verdict (one core at most ${round(1000 / cpuMs)} verdicts/s)` });
      };
      await phase('verify.readPath.peer', peerView, prepared.slice(0, people.length), 'each attestation read from the peer (attestation:status), as while the replica is behind');
      // The headline read path: what a caught-up bank gateway does for every verification.
      await phase('verify.readPath', view, prepared, 'verification read path: attestations answered by the bank gateway\'s block-fed replica, caught up');
    } finally {
      view.close();
      peerView.close();
      ledger.close();
    }
  }

  if (parts.http) {
    const reader = newFabricLedgerClient(config);
    try {
      await benchHttpVerification(report, network, bank, people, reader);
    } finally {
      reader.close();
    }
  }
}
