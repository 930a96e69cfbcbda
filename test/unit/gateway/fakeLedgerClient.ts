import { createHash } from 'node:crypto';
import type { Accreditation } from '@kyc-ledger/api';
import { GatewayError, GatewayErrorCodes, LedgerFunctions as F, type LedgerClient, type SubmitOptions, type SubmitResult } from '@kyc-ledger/gateway';

/** One call the fake saw. */
export interface LedgerCall {
  fn: string;
  args: string[];
  options?: SubmitOptions;
}

type Attestation = Record<string, unknown> & { id: string; subject: string; status: string; expiresAt: string };

/** Stable JSON with sorted keys (enough for ids in a test double). */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * TEST DOUBLE. An in-memory stand-in for the ledger behind {@link LedgerClient}: it records every
 * call, keeps attestations in a map with roughly the chaincode's rules (ids, CONFLICT, NOT_FOUND,
 * bulk idempotence), and can be told to fail. It is not the chaincode and checks no signatures.
 */
const ISSUER_FUNCTION = /^(asset|investor|registration|transfer):/;

export class FakeLedgerClient implements LedgerClient {
  readonly submits: LedgerCall[] = [];
  readonly evaluates: LedgerCall[] = [];
  readonly attestations = new Map<string, Attestation>();
  /** Consent receipts recorded with consent:recordBatch. */
  readonly receipts: Record<string, unknown>[] & { sessionIdHash: string }[] = [];
  members: unknown[] = [
    { mspId: 'Certifier1MSP', name: 'certifier1', roles: ['certifier'], status: 'active', since: '2026-01-01T00:00:00.000Z' },
    { mspId: 'Bank1MSP', name: 'bank1', roles: ['bank'], status: 'active', since: '2026-01-01T00:00:00.000Z' },
  ];
  /** Published session certificates by MSP ID, as registry:getSessionCertificate answers them. */
  readonly sessionCertificates = new Map<string, unknown>();
  /** Accreditations by certifier, as attestation:status reads them. */
  readonly accreditations = new Map<string, Accreditation>([['Certifier1MSP', {
    certifier: 'Certifier1MSP', countries: ['DE', 'FR'], claimTopics: ['kyc-basic'], maxAssuranceLevel: 'high',
    validFrom: '2026-01-01T00:00:00Z', validUntil: '2028-01-01T00:00:00Z', status: 'active', updatedAt: '2026-01-01T00:00:00Z',
  }]]);
  /** The last registry sequence number registration:batch gave out. */
  registrySeq = 0;
  /** The MSP the fake's "caller" has. */
  certifier = 'Certifier1MSP';
  /** Time used for expiry in status answers. */
  now = '2026-06-01T00:00:00Z';
  /** When set, ping rejects with it; `'hang'` never settles. */
  pingFailure: Error | 'hang' | undefined;
  /** Errors to throw, by function, once each. */
  readonly failures = new Map<string, Error>();
  #tx = 0;

  /** Throws `error` on the next call of `fn`. */
  failNext(fn: string, error: Error): void {
    this.failures.set(fn, error);
  }

  #maybeFail(fn: string): void {
    const failure = this.failures.get(fn);
    if (failure) {
      this.failures.delete(fn);
      throw failure;
    }
  }

  #get(id: string): Attestation {
    const found = this.attestations.get(id);
    if (!found) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, `no attestation ${id}`, { details: { id } });
    return found;
  }

  #store(input: Record<string, unknown>): { attestation: Attestation; created: boolean } {
    const id = createHash('sha256').update(sortedJson({ certifier: this.certifier, subject: input.subject, commitmentRoot: input.commitmentRoot })).digest('hex');
    const existing = this.attestations.get(id);
    if (existing) return { attestation: existing, created: false };
    // What the chaincode adds to an input: the certifier and its submitting identity, times, status.
    const attestation = { ...input, id, certifier: this.certifier, signer: `x509::/CN=${this.certifier}::/CN=ca`, issuedAt: this.now, status: 'active', updatedAt: this.now } as unknown as Attestation;
    this.attestations.set(id, attestation);
    return { attestation, created: true };
  }

  async submit<T>(fn: string, args: readonly string[], options?: SubmitOptions): Promise<SubmitResult<T>> {
    this.submits.push({ fn, args: [...args], ...(options ? { options } : {}) });
    const transactionId = `tx${++this.#tx}`;
    this.#maybeFail(fn);
    const result = ((): unknown => {
      switch (fn) {
        case F.ATTESTATION_REGISTER: {
          const { attestation, created } = this.#store(JSON.parse(args[0] as string) as Record<string, unknown>);
          if (!created) throw new GatewayError(GatewayErrorCodes.CONFLICT, `attestation ${attestation.id} exists`, { transactionId });
          return attestation;
        }
        case F.ATTESTATION_REGISTER_BULK: {
          const stored = (JSON.parse(args[0] as string) as Record<string, unknown>[]).map((input) => this.#store(input));
          const registered = stored.filter((s) => s.created).length;
          return { registered, unchanged: stored.length - registered, ids: stored.map((s) => s.attestation.id) };
        }
        case F.ATTESTATION_REVOKE: {
          const attestation = this.#get(args[0] as string);
          if (attestation.status !== 'active') throw new GatewayError(GatewayErrorCodes.ATTESTATION_NOT_ACTIVE, 'not active', { transactionId });
          Object.assign(attestation, { status: 'revoked', revocation: { reason: args[1], at: this.now }, updatedAt: this.now });
          return attestation;
        }
        case F.ATTESTATION_RENEW: {
          const attestation = this.#get(args[0] as string);
          attestation.expiresAt = args[1] as string;
          attestation.updatedAt = this.now;
          return attestation;
        }
        case F.ATTESTATION_ROTATE: {
          const old = this.#get(args[0] as string);
          const { newSubject } = JSON.parse(args[1] as string) as { newSubject: string };
          const { attestation } = this.#store({ ...old, subject: newSubject, id: undefined, status: undefined });
          Object.assign(old, { status: 'superseded', supersededBy: attestation.id, updatedAt: this.now });
          return attestation;
        }
        case F.CONSENT_RECORD_BATCH: {
          // Like the chaincode: receipts in the transient map, one outcome each, none recorded → failure.
          const items = JSON.parse(Buffer.from(options?.transientData?.receipts ?? []).toString('utf8')) as { sessionIdHash: string }[];
          const fresh = new Set<string>();
          const results = items.map((r) => {
            if (this.receipts.some((x) => x.sessionIdHash === r.sessionIdHash) || fresh.has(r.sessionIdHash)) return { recorded: false, code: GatewayErrorCodes.SESSION_ALREADY_USED };
            fresh.add(r.sessionIdHash);
            return { recorded: true };
          });
          const recorded = items.filter((_, i) => results[i]?.recorded);
          if (recorded.length === 0) throw new GatewayError(GatewayErrorCodes.SESSION_ALREADY_USED, 'no receipt recorded', { details: { results } });
          this.receipts.push(...recorded);
          return { recorded: recorded.length, results };
        }
        case F.REGISTRATION_BATCH: {
          // The chaincode's answer shape: one outcome per action (each applied here; the
          // registry's rules are tested on the stubbed chaincode context and end to end).
          const { asset, actions } = JSON.parse(args[0] as string) as { asset: string; actions: { address?: string; to?: string }[] };
          const results = actions.map((a) => ({ ok: true, registration: { asset, address: a.to ?? a.address, status: 'registered', frozen: false, nonce: 1 }, seqs: [++this.registrySeq] }));
          return { asset, applied: results.length, results };
        }
        default:
          if (ISSUER_FUNCTION.test(fn)) return { id: 'd1'.repeat(32) };
          throw new Error(`fake ledger: unknown submit ${fn}`);
      }
    })();
    return { result: result as T, transactionId };
  }

  async evaluate<T>(fn: string, args: readonly string[]): Promise<T> {
    this.evaluates.push({ fn, args: [...args] });
    this.#maybeFail(fn);
    switch (fn) {
      case F.ATTESTATION_LIST_BY_SUBJECT:
        return [...this.attestations.values()].filter((a) => a.subject === args[0]) as T;
      case F.ATTESTATION_STATUS: {
        const attestation = this.#get(args[0] as string);
        const at = args[1] || this.now;
        // The chaincode's answer shape; of its rules only revocation, supersession and expiry (the
        // accreditation is reported, not checked, so tests need not set one up per attestation).
        const status = attestation.status === 'revoked' ? 'REVOKED' : attestation.status === 'superseded' ? 'SUPERSEDED' : attestation.expiresAt <= at ? 'EXPIRED' : 'VALID';
        const reasons = status === 'VALID' ? [] : [{ code: status, message: `${status.toLowerCase()} (fake ledger)` }];
        return { id: attestation.id, at, valid: status === 'VALID', status, reasons, attestation, accreditation: this.accreditations.get(attestation.certifier as string) ?? null } as T;
      }
      case F.CONSENT_GET: {
        // The caller's own receipt, as the chaincode stores it (this fake serves one bank).
        const receipt = this.receipts.find((r) => r.sessionIdHash === args[0]);
        if (!receipt) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, `no receipt for session ${args[0]}`);
        return { ...receipt, bank: 'Bank1MSP', txId: 'tx', recordedAt: this.now } as T;
      }
      case F.REGISTRY_LIST_MEMBERS:
        return this.members as T;
      case F.REGISTRY_SESSION_CERTIFICATE: {
        const published = this.sessionCertificates.get(args[0] as string);
        if (!published) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, `${args[0]} has published no session certificate`);
        return published as T;
      }
      case F.REGISTRATION_CHANGES: {
        const { asset, fromSeq, limit } = JSON.parse(args[0] as string) as { asset: string; fromSeq: number; limit: number };
        const seqs = Array.from({ length: Math.max(0, Math.min(this.registrySeq, fromSeq + limit - 1) - fromSeq + 1) }, (_, i) => fromSeq + i);
        return { asset, head: this.registrySeq, changes: seqs.map((seq) => ({ asset, seq, op: 'authenticate', address: `eip155:1:0x${seq.toString(16).padStart(40, '0')}`, txId: 'tx', at: this.now })) } as T;
      }
      case F.PING:
        return { ok: true } as T;
      default:
        // The issuer's contracts are tested on the stubbed chaincode context and end to end; here
        // they answer a shape the routes can pass on (an allowed verdict).
        if (ISSUER_FUNCTION.test(fn)) return { code: 0, name: 'SUCCESS', reasons: [], verdict: { code: 0, name: 'SUCCESS', reasons: [] } } as T;
        throw new Error(`fake ledger: unknown evaluate ${fn}`);
    }
  }

  async ping(): Promise<void> {
    if (this.pingFailure === 'hang') return new Promise<void>(() => undefined);
    if (this.pingFailure) throw this.pingFailure;
    await this.evaluate(F.PING, []);
  }
}
