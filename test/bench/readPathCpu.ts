import '../support/quietChaincodeLogs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';
import { AttestationContract, RegistryContract, type Attestation } from '@kyc-ledger/chaincode';
import { buildConsentStatement, createBankSession, createDisclosure, signStatement, type KeyKind, type WalletSubmission } from '@kyc-ledger/crypto';
import { assess, LedgerReplica, preflight, type AttestationView, type SessionEntry } from '@kyc-ledger/gateway';
import { percentile, runPool } from './benchReport';
import { attestationRequest, bootstrapInput, type SignedRequest } from '../support/attestationFixtures';
import { createTestBank } from '../support/bankPki';
import { createStubContext } from '../support/stubContext';

/**
 * The bank's verification read path (preflight + assess over a caught-up replica) in one process
 * without a network, so its CPU cost can be profiled and compared between commits without the
 * noise of peers sharing the machine:
 *   node --cpu-prof test/dist/bench/readPathCpu.js
 * KYC_READPATH_KIND (ed25519 | secp256k1 | p256 | bitcoin-p2wpkh), KYC_READPATH_PEOPLE and
 * KYC_READPATH_READS size the run, KYC_READPATH_CONCURRENCY sets the verifications in flight
 * (default 1). Prints the CPU time per verdict; a measurement, not a test.
 */
const NETWORK = 'kyc-ledger/kyc';
const KIND = (process.env.KYC_READPATH_KIND ?? 'ed25519') as KeyKind;
const PEOPLE = Number(process.env.KYC_READPATH_PEOPLE ?? 500);
const READS = Number(process.env.KYC_READPATH_READS ?? 20000);
const FIELDS = ['familyName', 'givenName'];
const CONCURRENCY = Number(process.env.KYC_READPATH_CONCURRENCY ?? 1);

async function main(): Promise<void> {
  const stub = createStubContext();
  stub.setTxTime('2026-06-01T12:00:00.000Z');
  stub.setCaller('Bank1MSP', true);
  await new RegistryContract().bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
  stub.setCaller('Certifier1MSP');
  const contract = new AttestationContract();
  const people: (SignedRequest & { attestationId: string })[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    stub.nextTx();
    const request = attestationRequest(NETWORK, { kind: KIND });
    const attestation = JSON.parse(await contract.register(stub.ctx, JSON.stringify(request.input))) as Attestation;
    people.push({ ...request, attestationId: attestation.id });
  }
  // The replica's store: classic-level in a temp dir as a gateway with a data dir keeps it
  // (KYC_READPATH_STORE=memory: memory-level).
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-readpath-'));
  const db = process.env.KYC_READPATH_STORE === 'memory' ? new MemoryLevel<string, string>() : new ClassicLevel<string, string>(dir);
  await db.open();
  const replica = new LedgerReplica(db);
  const batch = db.batch();
  await replica.applyBlock({ number: 0n, writes: [...stub.state].map(([key, value]) => ({ key, value })), validTransactions: 1, invalidTransactions: 0, events: [] }, batch);
  await batch.write();
  replica.committed();
  const view: AttestationView = {
    status: async (id, now) => replica.status(id, now.toISOString()),
    live: true, caughtUp: true, height: 1n, size: replica.counts.attestations,
    counts: { replica: 0, peer: 0, streamErrors: 0 }, close: () => undefined,
  };

  const bank = createTestBank();
  const prepared = Array.from({ length: Math.min(READS, 4000) }, (_, i) => {
    const person = people[i % people.length] as (typeof people)[number];
    const session = createBankSession({ network: NETWORK, bank: { mspId: 'Bank1MSP', name: 'Bank One' }, fields: FIELDS, claimTopics: ['identity'], ttlSeconds: 3600, submitUrl: 'https://bank1.example/v1/sessions/submissions' }, bank.user);
    const consent = buildConsentStatement(session, { attestationId: person.attestationId, address: person.key.accountId });
    const submission: WalletSubmission = { consent, signature: signStatement(consent, person.key), disclosure: createDisclosure(person.commitment, FIELDS) };
    // A submission arrives as a fresh JSON body each time, as it would over HTTP.
    return { session, body: JSON.stringify(submission) };
  });

  const run = async (count: number) => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const latencies = await runPool(count, CONCURRENCY, async (i) => {
      const { session, body } = prepared[i % prepared.length] as (typeof prepared)[number];
      const entry: SessionEntry = { session, state: 'open' };
      const now = new Date();
      const { verdict } = await assess(view, entry, preflight(JSON.parse(body), entry, now), now);
      if (!verdict.verified) throw new Error(`not verified: ${JSON.stringify(verdict.reasons)}`);
    });
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - started) / 1000;
    return { cpuMs: (cpu.user + cpu.system) / 1000 / count, perSecond: Math.round(count / seconds), p99: +percentile(latencies, 99).toFixed(2) };
  };
  await run(Math.min(READS, 2000));
  const { cpuMs, perSecond, p99 } = await run(READS);
  process.stdout.write(`${JSON.stringify({ kind: KIND, concurrency: CONCURRENCY, reads: READS, store: process.env.KYC_READPATH_STORE ?? 'classic-level', cpuMsPerVerdict: +cpuMs.toFixed(4), perSecond, p99Ms: p99 })}\n`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
