import { buildConsentStatement, createDisclosure, signStatement, type WalletSubmission } from '@kyc-ledger/crypto';
import { attestationRequest, type SignedRequest } from './attestationFixtures';

/** A gateway the load talks to: its base URL and its API key. */
export interface LoadGateway {
  org: string;
  url: string;
  apiKey: string;
}

export interface SteadyLoadOptions {
  /** `<network name>/<channel>`, the network every signed statement names. */
  networkId: string;
  /** The certifier's gateway: registers one attestation per request. */
  certifier: LoadGateway;
  /** MSP ID of that certifier (default Certifier1MSP). */
  certifierMspId?: string;
  /** Banks' gateways: each verification runs the whole flow at one of them, in turn. */
  banks: readonly LoadGateway[];
  /** Concurrent attestation clients (default 2) and verification clients (default 2). */
  attestationClients?: number;
  verificationClients?: number;
  /** Pause of each client between two requests (default 100 ms): a steady, not a saturating, load. */
  thinkMs?: number;
  /** Attempts per request before it counts as failed (default 8). */
  maxAttempts?: number;
  /** Told about every retry and failure (e.g. test output). */
  log?: (line: string) => void;
}

/** One request that still failed after its retries. */
export interface LoadFailure {
  kind: 'attestation' | 'verification';
  attempts: number;
  status?: number;
  code?: string;
  message: string;
}

export interface SteadyLoadReport {
  /** Requests finished (ok or failed), by kind. */
  requests: { attestation: number; verification: number };
  ok: number;
  failedAfterRetries: number;
  /** Attempts repeated after a retryable answer, in all and by reason (`409 CONFLICT`, `503 …`, `network`). */
  retries: number;
  retriesByReason: Record<string, number>;
  failures: LoadFailure[];
  /** Longest time without a committed write, between load start's first commit and the end (ms). */
  longestPauseMs: number;
  /** When that pause began and ended (ms since the epoch). */
  longestPause?: { from: number; to: number };
  committedWrites: number;
  durationMs: number;
}

/** A running load; `stop` lets requests in flight finish (with their retries) and reports. */
export interface SteadyLoad {
  /** The figures so far (the load keeps running). */
  snapshot(): SteadyLoadReport;
  stop(): Promise<SteadyLoadReport>;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  retryAfterMs?: number;
}

/** Why an attempt may be repeated (undefined: it may not). */
type RetryReason = string | undefined;

/**
 * Which answers a client repeats, and why each is safe to repeat:
 * - no answer at all (connection refused or reset): a gateway restarting; the writes are
 *   idempotent (an identical attestation changes nothing; a verification is redone whole);
 * - 503 UPSTREAM_UNAVAILABLE / not ready: the peer or the chaincode did not answer (a chaincode
 *   being launched after an upgrade, a peer restarting);
 * - 409 CONFLICT: an MVCC or phantom read conflict at commit — nothing was written. A chaincode
 *   definition committed while a transaction was in flight invalidates it this way (every
 *   transaction reads its chaincode's definition);
 * - 502 COMMIT_FAILED: not committed (e.g. an endorsement policy failure while the set of orgs or
 *   the definition changes); nothing was written;
 * - 502 CHAINCODE_FAILED: the gateway's code for a peer-level endorsement failure without a chaincode
 *   error code (no peers for the policy during a switch, a chaincode that is still starting);
 *   coded chaincode refusals are 4xx and never retried;
 * - 429 RATE_LIMITED, after its Retry-After.
 * Everything else (400/401/403/404/422, 500) is final: repeating it cannot help.
 */
export function retryReason(answer: Answer | Error): RetryReason {
  if (answer instanceof Error) return 'network';
  const code = typeof answer.body['code'] === 'string' ? (answer.body['code'] as string) : '';
  if (answer.status === 503) return `503 ${code || 'unavailable'}`;
  if (answer.status === 409 && code === 'CONFLICT') return '409 CONFLICT';
  if (answer.status === 502 && (code === 'COMMIT_FAILED' || code === 'CHAINCODE_FAILED')) return `502 ${code}`;
  if (answer.status === 429) return '429 RATE_LIMITED';
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, body: unknown, apiKey?: string): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey && { 'x-api-key': apiKey }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return { status: res.status, body: parsed, ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterMs: retryAfter * 1000 }) };
}

/** Thrown by one attempt when its answer is not the success it wanted. */
class AttemptFailed extends Error {
  constructor(readonly answer: Answer | Error) {
    super(answer instanceof Error ? answer.message : `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
}

async function attempt(call: () => Promise<Answer>, ok: (a: Answer) => boolean): Promise<Answer> {
  let answer: Answer;
  try {
    answer = await call();
  } catch (error) {
    throw new AttemptFailed(error as Error);
  }
  if (!ok(answer)) throw new AttemptFailed(answer);
  return answer;
}

const FIELDS = ['familyName', 'givenName'];

/**
 * Starts a steady load through the gateways' HTTP API: certifier clients register attestations,
 * bank clients run whole verifications (session, the person's signed consent, verdict answered
 * once its receipt committed) of people certified earlier in the run. Each request is retried on
 * the answers {@link retryReason} names, with backoff, up to `maxAttempts`.
 *
 * A write counts as committed when its gateway answers it: both routes answer only after the
 * transaction's commit status, so the longest pause between such answers is the longest time the
 * network committed none of this load's writes.
 */
export function startSteadyLoad(options: SteadyLoadOptions): SteadyLoad {
  const maxAttempts = options.maxAttempts ?? 8;
  const thinkMs = options.thinkMs ?? 100;
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const report: SteadyLoadReport = {
    requests: { attestation: 0, verification: 0 }, ok: 0, failedAfterRetries: 0, retries: 0, retriesByReason: {}, failures: [],
    longestPauseMs: 0, committedWrites: 0, durationMs: 0,
  };
  let lastCommit: number | undefined;
  const committed = () => {
    const now = Date.now();
    if (lastCommit !== undefined && now - lastCommit > report.longestPauseMs) {
      report.longestPauseMs = now - lastCommit;
      report.longestPause = { from: lastCommit, to: now };
    }
    lastCommit = now;
    report.committedWrites++;
  };
  /** People whose attestation committed, with when, for the banks to verify. */
  const certified: { request: SignedRequest; attestationId: string; at: number }[] = [];
  let stopping = false;

  async function withRetries(kind: LoadFailure['kind'], run: () => Promise<void>): Promise<void> {
    for (let n = 1; ; n++) {
      try {
        await run();
        report.ok++;
        report.requests[kind]++;
        return;
      } catch (error) {
        const answer = error instanceof AttemptFailed ? error.answer : (error as Error);
        const reason = retryReason(answer);
        if (reason === undefined || n >= maxAttempts) {
          const failure: LoadFailure = {
            kind, attempts: n, message: (error as Error).message,
            ...(!(answer instanceof Error) && { status: answer.status, ...(typeof answer.body['code'] === 'string' && { code: answer.body['code'] as string }) }),
          };
          report.failedAfterRetries++;
          report.requests[kind]++;
          report.failures.push(failure);
          log(`steady load: ${kind} failed after ${n} attempt(s): ${failure.message}`);
          return;
        }
        report.retries++;
        report.retriesByReason[reason] = (report.retriesByReason[reason] ?? 0) + 1;
        log(`steady load: ${kind} retry ${n} (${reason})`);
        const backoff = Math.min(4000, 200 * 2 ** (n - 1));
        await sleep(answer instanceof Error ? backoff : Math.max(backoff, answer.retryAfterMs ?? 0));
      }
    }
  }

  async function registerOne(): Promise<void> {
    const request = attestationRequest(options.networkId, { kind: 'ed25519', certifier: options.certifierMspId ?? 'Certifier1MSP' });
    await withRetries('attestation', async () => {
      const answer = await attempt(() => post(`${options.certifier.url}/v1/attestations`, request.input, options.certifier.apiKey), (a) => a.status === 201 || a.status === 200);
      committed();
      const attestation = answer.body['attestation'] as { id?: unknown } | undefined;
      if (typeof attestation?.id !== 'string') throw new AttemptFailed({ status: answer.status, body: { message: 'no attestation id in the answer', ...answer.body } });
      certified.push({ request, attestationId: attestation.id, at: Date.now() });
    });
  }

  async function verifyOne(bank: LoadGateway): Promise<void> {
    // Someone certified a moment ago: the bank's replica may need the block that holds it.
    const ready = certified.filter((c) => Date.now() - c.at > 1000);
    const person = ready[Math.floor(Math.random() * ready.length)];
    if (!person) {
      await sleep(200);
      return;
    }
    await withRetries('verification', async () => {
      const created = await attempt(() => post(`${bank.url}/v1/sessions`, { fields: FIELDS, claimTopics: ['identity'], ttlSeconds: 600 }, bank.apiKey), (a) => a.status === 201);
      const session = created.body['session'] as Parameters<typeof buildConsentStatement>[0];
      const consent = buildConsentStatement(session, { attestationId: person.attestationId, address: person.request.key.accountId });
      const submission: WalletSubmission = { consent, signature: signStatement(consent, person.request.key), disclosure: createDisclosure(person.request.commitment, FIELDS) };
      await attempt(() => post(`${bank.url}/v1/sessions/submissions`, submission), (a) => a.status === 200 && a.body['verified'] === true);
      committed();
    });
  }

  const clients: Promise<void>[] = [];
  for (let i = 0; i < (options.attestationClients ?? 2); i++) {
    clients.push((async () => {
      while (!stopping) {
        await registerOne();
        await sleep(thinkMs);
      }
    })());
  }
  for (let i = 0; i < (options.verificationClients ?? 2); i++) {
    clients.push((async () => {
      for (let n = i; !stopping; n++) {
        const bank = options.banks[n % options.banks.length];
        if (!bank) return;
        await verifyOne(bank);
        await sleep(thinkMs);
      }
    })());
  }

  const snapshot = (): SteadyLoadReport => {
    const now = Date.now();
    const open = lastCommit === undefined ? 0 : now - lastCommit;
    return {
      ...report,
      requests: { ...report.requests },
      retriesByReason: { ...report.retriesByReason },
      failures: [...report.failures],
      // A stall still going on counts too.
      ...(open > report.longestPauseMs && lastCommit !== undefined && { longestPauseMs: open, longestPause: { from: lastCommit, to: now } }),
      durationMs: now - started,
    };
  };
  return {
    snapshot,
    async stop() {
      stopping = true;
      await Promise.all(clients);
      return snapshot();
    },
  };
}

/** One line for test output. */
export function describeLoad(r: SteadyLoadReport): string {
  const reasons = Object.entries(r.retriesByReason).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `${r.ok} ok (${r.requests.attestation} attestations, ${r.requests.verification} verifications), ${r.failedAfterRetries} failed after retries, `
    + `${r.retries} retries${reasons ? ` (${reasons})` : ''}, longest pause between committed writes ${(r.longestPauseMs / 1000).toFixed(2)} s, over ${(r.durationMs / 1000).toFixed(0)} s`;
}
