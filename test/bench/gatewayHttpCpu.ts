import '../support/quietChaincodeLogs';
import { fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildConsentStatement, commitFields, createDisclosure, generateKey, signStatement, type WalletSubmission } from '@kyc-ledger/crypto';
import { createApp } from '@kyc-ledger/gateway';
import { FakeLedgerClient } from '../unit/gateway/fakeLedgerClient';
import { appConfig, BANK_KEY } from '../unit/gateway/testApp';
import { createTestBank } from '../support/bankPki';
import { BenchHttpClient } from './benchHttpClient';
import { percentile, runPool } from './benchReport';
import { formatProfileSummary, summariseCpuProfileFile } from './cpuProfileSummary';

/**
 * The bank gateway's HTTP hot path alone: the real express app (logger at info into a file,
 * Prometheus metrics, rate limiting, validation) over an in-memory ledger, in a child process
 * whose CPU time is read from /proc, driven over HTTP by this process. No Fabric, so it needs no
 * network and shows what the gateway's own code costs per request:
 *   node test/dist/bench/gatewayHttpCpu.js
 * KYC_HOTPATH_COUNT (default 3000) verifications, KYC_HOTPATH_CONCURRENCY (default 64) in
 * flight; KYC_HOTPATH_PROFILE=submit,read (any of create, submit, read) runs those steps with
 * the gateway under the V8 profiler and prints each step's top self-time functions. Prints server CPU ms per request of each step; a measurement, not a test.
 */
const COUNT = Number(process.env.KYC_HOTPATH_COUNT ?? 3000);
const CONCURRENCY = Number(process.env.KYC_HOTPATH_CONCURRENCY ?? 64);
/** Steps to profile (KYC_HOTPATH_PROFILE=create,submit,read), each into its own profile. */
const PROFILE_STEPS = (process.env.KYC_HOTPATH_PROFILE ?? '').split(',').filter((s) => s.length > 0);
const FIELDS = { givenName: 'Anna', familyName: 'Meier' };

interface Person {
  subject: string;
  root: string;
}

function serve(person: Person): void {
  const pki = createTestBank();
  const ledger = new FakeLedgerClient();
  const attestationId = 'a7'.repeat(32);
  ledger.attestations.set(attestationId, {
    id: attestationId, subject: person.subject, certifier: 'Certifier1MSP', commitmentRoot: person.root, claimTopics: ['identity'],
    fieldNames: Object.keys(FIELDS).sort(), status: 'active', expiresAt: '2030-01-01T00:00:00Z',
  } as never);
  const limit = 100_000_000;
  const app = createApp({
    config: appConfig('bank', { sessionTtlSeconds: 3600, rateLimit: { perKey: limit, perAddress: limit, anonymousPerAddress: limit, windowSeconds: 60, maxClients: 10_000, trustedProxyHops: 0 } }),
    ledger,
    sessionSigner: { certificatePem: pki.user.certificatePem, privateKeyPem: pki.user.privateKeyPem },
  });
  const server = app.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  server.keepAliveTimeout = 5_000;
  // The profiler is started and stopped on request, so a profile covers one step only.
  const inspector = new Session();
  inspector.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => inspector.post(method, (err, result) => (err ? reject(err) : resolve(result))));
  process.on('message', (m: { profile: 'start' | 'stop'; file?: string }) => {
    const done = (reply: unknown) => process.send?.(reply);
    if (m.profile === 'start') void post('Profiler.enable').then(() => post('Profiler.start')).then(() => done({ started: true }));
    else void post('Profiler.stop').then((r) => {
      writeFileSync(m.file as string, JSON.stringify((r as { profile: unknown }).profile));
      done({ stopped: true });
    });
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
  // Keep-alive sockets would hold close() open.
  process.once('SIGTERM', () => server.closeAllConnections());
}

function cpuMs(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // 100 clock ticks per second
}

async function main(): Promise<void> {
  const role = process.env.KYC_HOTPATH_ROLE;
  if (role === 'server') return serve(JSON.parse(process.env.KYC_HOTPATH_PERSON as string) as Person);

  const key = generateKey('ed25519');
  const commitment = commitFields(FIELDS);
  const profileDir = path.join(tmpdir(), `kyc-hotpath-${process.pid}`);
  if (PROFILE_STEPS.length > 0) mkdirSync(profileDir, { recursive: true });
  const logFile = path.join(tmpdir(), `kyc-hotpath-${process.pid}.log`);
  const log = openSync(logFile, 'w');
  const child = fork(__filename, [], {
    env: { ...process.env, KYC_HOTPATH_ROLE: 'server', KYC_HOTPATH_PERSON: JSON.stringify({ subject: key.accountId, root: commitment.root }) },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const client = new BenchHttpClient(`http://127.0.0.1:${port}`, CONCURRENCY);
  const pid = child.pid as number;
  const ask = (message: object) => new Promise<void>((resolve) => {
    child.once('message', () => resolve());
    child.send(message);
  });
  const profiles: string[] = [];
  let profiling = false;
  const step = async (name: string, count: number, task: (i: number) => Promise<void>) => {
    const profile = profiling && PROFILE_STEPS.includes(name);
    if (profile) await ask({ profile: 'start' });
    const before = cpuMs(pid);
    const latencies = await runPool(count, CONCURRENCY, task);
    const ms = cpuMs(pid) - before;
    if (profile) {
      const file = path.join(profileDir, `${name}.cpuprofile`);
      await ask({ profile: 'stop', file });
      profiles.push(file);
    }
    return { step: name, serverCpuMsPerRequest: +(ms / count).toFixed(3), p50Ms: +percentile(latencies, 50).toFixed(1) };
  };
  const run = async (count: number) => {
    const sessions: Parameters<typeof buildConsentStatement>[0][] = [];
    const create = await step('create', count, async () => {
      const r = await client.request('POST', '/v1/sessions', { fields: ['familyName', 'givenName'], claimTopics: ['identity'] }, BANK_KEY);
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
      sessions.push(r.body['session'] as (typeof sessions)[number]);
    });
    const submissions: WalletSubmission[] = sessions.map((session) => {
      const consent = buildConsentStatement(session, { attestationId: 'a7'.repeat(32), address: key.accountId });
      return { consent, signature: signStatement(consent, key), disclosure: createDisclosure(commitment, ['familyName', 'givenName']) };
    });
    const submit = await step('submit', count, async (i) => {
      const r = await client.request('POST', '/v1/sessions/submissions', submissions[i]);
      if (r.status !== 200 || r.body['verified'] !== true) throw new Error(JSON.stringify(r.body));
    });
    const read = await step('read', count, async (i) => {
      const r = await client.request('GET', `/v1/sessions/${(sessions[i] as (typeof sessions)[number]).sessionId}`, undefined, BANK_KEY);
      if (r.status !== 200 || r.body['state'] !== 'verified') throw new Error(JSON.stringify(r.body));
    });
    return [create, submit, read];
  };
  await run(Math.min(COUNT, 500)); // warm-up
  profiling = PROFILE_STEPS.length > 0;
  const steps = await run(COUNT);
  const total = steps.reduce((s, x) => s + x.serverCpuMsPerRequest, 0);
  process.stdout.write(`${JSON.stringify({ count: COUNT, concurrency: CONCURRENCY, steps, serverCpuMsPerVerification: +total.toFixed(3) })}\n`);
  client.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  for (const file of profiles) process.stdout.write(`${file}\n${formatProfileSummary(summariseCpuProfileFile(file, Number(process.env.KYC_HOTPATH_TOP ?? 25)))}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
