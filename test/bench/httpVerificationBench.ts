import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildConsentStatement, createDisclosure, signStatement, type WalletSubmission } from '@kyc-ledger/crypto';
import { GatewayErrorCodes, isGatewayError, type LedgerClient } from '@kyc-ledger/gateway';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import type { SignedRequest } from '../support/attestationFixtures';
import { BenchHttpClient } from './benchHttpClient';
import { formatProfileSummary, summariseCpuProfileFile } from './cpuProfileSummary';
import { profileGateway } from './gatewayProfiler';
import { percentile, round, runPool, type BenchReport } from './benchReport';
import { cpuBetween, sampleNetworkCpu, type ProcessKind } from './processCpu';

/** Verifications in flight per level (KYC_BENCH_HTTP_LEVELS, comma-separated). */
const LEVELS = (process.env.KYC_BENCH_HTTP_LEVELS ?? '32,256,1024').split(',').map(Number).filter((n) => n > 0);
/** Each level starts new verifications for this long, then lets those in flight finish. */
const LEVEL_SECONDS = Number(process.env.KYC_BENCH_HTTP_SECONDS ?? 20);
/** KYC_BENCH_PROFILE=gateway runs each level with bank1's gateway under the V8 CPU profiler. */
const PROFILE = process.env.KYC_BENCH_PROFILE === 'gateway';
const FIELDS = ['familyName', 'givenName'];
const KINDS: readonly ProcessKind[] = ['gateway', 'peer', 'chaincode', 'orderer', 'client'];

export interface CertifiedPerson extends SignedRequest {
  attestationId: string;
}

interface Timings {
  create: number[];
  submit: number[];
  read: number[];
  total: number[];
  sessionIds: string[];
  /** Verifications cut off by a transport error (connection reset or refused): overload, counted, not thrown. */
  failed: number;
  firstFailure?: string;
}

type Session = Parameters<typeof buildConsentStatement>[0];

/**
 * One closed loop per slot, each doing whole verifications one after another: the bank creates a
 * session, the wallet signs its consent (on the client, not timed), submits it, and the bank
 * reads the verdict. The gateway answers the submission only once its consent receipt committed.
 */
async function runLevel(client: BenchHttpClient, bank: GatewayEndpoint, people: readonly CertifiedPerson[], inFlight: number, seconds: number): Promise<Timings> {
  const t: Timings = { create: [], submit: [], read: [], total: [], sessionIds: [], failed: 0 };
  const deadline = performance.now() + seconds * 1000;
  let next = 0;
  const slot = async () => {
    do {
      try {
        await verifyOnce(people[next++ % people.length] as CertifiedPerson);
      } catch (error) {
        // A gateway that cannot keep up resets connections: a figure of the level. A wrong
        // answer is a broken flow and ends the bench.
        if (typeof (error as { code?: unknown }).code !== 'string') throw error;
        t.failed++;
        t.firstFailure ??= `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    } while (performance.now() < deadline);
  };
  const verifyOnce = async (person: CertifiedPerson) => {
    const t0 = performance.now();
    const created = await client.request('POST', '/v1/sessions', { fields: FIELDS, claimTopics: ['identity'], ttlSeconds: 3600 }, bank.apiKey);
    const t1 = performance.now();
    if (created.status !== 201) throw new Error(`session creation failed (${created.status}): ${JSON.stringify(created.body)}`);
    const session = created.body['session'] as Session;
    // The wallet's work, on the person's device: excluded from the step times.
    const consent = buildConsentStatement(session, { attestationId: person.attestationId, address: person.key.accountId });
    // It carries the signed session back, as the wallet does, so any instance of the bank's gateway can take it.
    const submission: WalletSubmission = { consent, signature: signStatement(consent, person.key), disclosure: createDisclosure(person.commitment, FIELDS), session };
    const t2 = performance.now();
    const submitted = await client.request('POST', '/v1/sessions/submissions', submission);
    const t3 = performance.now();
    if (submitted.status !== 200 || submitted.body['verified'] !== true) throw new Error(`verification failed (${submitted.status}): ${JSON.stringify(submitted.body)}`);
    const read = await client.request('GET', `/v1/sessions/${session.sessionId}`, undefined, bank.apiKey);
    const t4 = performance.now();
    if (read.status !== 200 || read.body['state'] !== 'verified') throw new Error(`verdict read failed (${read.status}): ${JSON.stringify(read.body)}`);
    t.create.push(t1 - t0);
    t.submit.push(t3 - t2);
    t.read.push(t4 - t3);
    t.total.push(t1 - t0 + (t4 - t2));
    t.sessionIds.push(session.sessionId);
  };
  await Promise.all(Array.from({ length: inFlight }, slot));
  return t;
}

/** Attestations held by a bank gateway's verification replica (from its /metrics). */
export async function replicaAttestations(bank: GatewayEndpoint): Promise<number> {
  const text = await (await fetch(`${bank.url}/metrics`)).text();
  const match = /^kyc_gateway_replica_attestations(?:\{[^}]*\})? (\d+)/m.exec(text);
  if (!match) throw new Error(`${bank.url}/metrics has no kyc_gateway_replica_attestations`);
  return Number(match[1]);
}

/** Waits until the bank gateway's replica holds at least `count` attestations (fresh registrations are streamed to it in blocks). */
export async function waitReplicaAttestations(bank: GatewayEndpoint, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await replicaAttestations(bank)) < count) {
    if (Date.now() > deadline) throw new Error(`bank1's replica did not reach ${count} attestations within 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Session ids whose consent receipt is not on the ledger (looked up one by one). */
async function missingReceipts(ledger: LedgerClient, sessionIds: readonly string[]): Promise<number> {
  let missing = 0;
  await runPool(sessionIds.length, 64, async (i) => {
    const hash = createHash('sha256').update(sessionIds[i] as string).digest('hex');
    try {
      await ledger.evaluate('consent:get', [hash]);
    } catch (error) {
      // Only "not found" is a missing receipt; a lookup that failed otherwise says nothing, so it stops the bench.
      if (!isGatewayError(error, GatewayErrorCodes.NOT_FOUND)) throw error;
      missing++;
    }
  });
  return missing;
}

/**
 * The whole verification over HTTP against bank1's gateway at each level of verifications in
 * flight: verdicts/s, p50/p99 of each step and of the whole, receipts missing afterwards, and
 * the CPU each kind of process spent per verdict (from /proc), so the limit on the machine shows.
 */
export async function benchHttpVerification(report: BenchReport, network: Network, bank: GatewayEndpoint, people: readonly CertifiedPerson[], ledger: LedgerClient): Promise<void> {
  const client = new BenchHttpClient(bank.url, Math.max(...LEVELS, 64));
  const nodeDir = network.layout.nodeDir(bank.id);
  const profileDir = process.env.KYC_BENCH_PROFILE_DIR ?? path.join(tmpdir(), `kyc-bench-profiles-${process.pid}`);
  try {
    process.stderr.write('  … warming up (32 verifications, not counted)\n');
    await runLevel(client, bank, people, 32, 0);
    for (const inFlight of LEVELS) {
      process.stderr.write(`  … ${inFlight} verifications in flight for ${LEVEL_SECONDS} s${PROFILE ? ' (gateway under the V8 profiler)' : ''}\n`);
      const measure = async () => {
        const cpuBefore = sampleNetworkCpu(network.layout.root);
        const started = performance.now();
        const timings = await runLevel(client, bank, people, inFlight, LEVEL_SECONDS);
        const wallSeconds = (performance.now() - started) / 1000;
        return { timings, wallSeconds, cpu: cpuBetween(cpuBefore, sampleNetworkCpu(network.layout.root)) };
      };
      let profiles: string[] | undefined;
      let measured: Awaited<ReturnType<typeof measure>>;
      if (PROFILE) ({ result: measured, profiles } = await profileGateway(nodeDir, bank.url, profileDir, measure));
      else measured = await measure();
      const { timings, wallSeconds, cpu } = measured;
      const n = timings.total.length;
      const name = `verify.http.c${inFlight}`;
      const pct = (values: number[], p: number) => percentile(values, p);
      const profiled = profiles ? '; gateway under the V8 profiler (slower than normal)' : '';
      report.add(`${name}.perSecond`, {
        value: n / wallSeconds, unit: 'verdicts/s', target: '>= 500',
        note: `${n} whole verifications over HTTP at bank1's gateway, ${inFlight} closed loops (create session → wallet submission → GET verdict), each submission answered after its consent receipt committed; wallet signing between create and submit done by the bench client and excluded from step times${profiled}`,
      });
      report.add(`${name}.failed`, { value: timings.failed, unit: 'verifications', target: '0', note: timings.firstFailure ? `cut off by transport errors (the gateway overloaded), first: ${timings.firstFailure}` : 'none cut off by a transport error' });
      report.add(`${name}.p99`, { value: pct(timings.total, 99), unit: 'ms', target: '<= 2000', note: `create + submit + verdict read, per verification; p50 ${round(pct(timings.total, 50))} ms` });
      for (const step of ['create', 'submit', 'read'] as const) {
        report.add(`${name}.${step}.p50`, { value: pct(timings[step], 50), unit: 'ms' });
        report.add(`${name}.${step}.p99`, { value: pct(timings[step], 99), unit: 'ms' });
      }
      process.stderr.write('  … looking up every receipt on the ledger\n');
      report.add(`${name}.receiptsMissing`, { value: await missingReceipts(ledger, timings.sessionIds), unit: 'receipts', target: '0', note: `of ${n} verified sessions, each looked up with consent:get` });
      for (const kind of KINDS) {
        report.add(`${name}.cpuMsPerVerdict.${kind}`, {
          value: cpu.ms[kind] / n, unit: 'ms',
          note: `CPU (utime+stime from /proc) of ${cpu.processes[kind]} ${kind} process(es) per verdict${kind === 'client' ? ' (the bench itself, wallet signing included)' : ''}`,
        });
      }
      const networkMs = KINDS.filter((k) => k !== 'client').reduce((s, k) => s + cpu.ms[k], 0);
      report.add(`${name}.cpuMsPerVerdict.network`, { value: networkMs / n, unit: 'ms', note: `gateway + peers + chaincode + orderer: on 2 cores at most ${round(2000 / (networkMs / n))} verdicts/s` });
      if (profiles) process.stderr.write(`  gateway CPU profile(s) ${profiles.join(' ')}\n${formatProfileSummary(summariseCpuProfileFile(profiles)).replace(/^/gm, '    ')}\n`);
    }
  } catch (error) {
    // The network's directory goes with the network: keep the gateway's log to see what it answered.
    const kept = path.join(tmpdir(), `kyc-bench-${bank.id}-${process.pid}.log`);
    copyFileSync(path.join(nodeDir, 'node.log'), kept);
    process.stderr.write(`  ${bank.id}'s log kept in ${kept}\n`);
    throw error;
  } finally {
    client.close();
  }
}
