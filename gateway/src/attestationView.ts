import type { Accreditation, Attestation, AttestationStatus } from '@kyc-ledger/chaincode/dist/index';
import { evaluateStatus } from '@kyc-ledger/chaincode/dist/attestationStatus';
import type { LedgerClient, LedgerEvent } from './fabricClient';
import { LedgerFunctions as F } from './ledgerFunctions';

/** How a bank gateway learns an attestation's standing. */
export interface AttestationView {
  /** The attestation's status at `now`, with every failing reason (as `attestation:status`). */
  status(attestationId: string, now: Date): Promise<AttestationStatus>;
  /** True while the event stream keeps the cache current (otherwise every read goes to the peer). */
  readonly live: boolean;
  close(): void;
}

export interface AttestationViewOptions {
  /** Longest a cached entry is used even while live (default 60 s). */
  maxAgeMs?: number;
  /** Wait before reconnecting a broken event stream (default 1 s). */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

/** Events after which cached attestations or accreditations may be stale. */
const ATTESTATION_EVENTS = new Set(['AttestationRevoked', 'AttestationRenewed', 'AttestationRotated']);
const REGISTRY_EVENTS = new Set(['ProposalExecuted', 'RegistryBootstrapped']);

interface Cached<T> {
  value: T;
  at: number;
}

/**
 * A read model of attestations for verification. The first read of an attestation goes to the
 * peer (`attestation:status`); later reads use the cached attestation and accreditation and derive
 * the status with the chaincode's own `evaluateStatus`, so a verification needs no ledger round
 * trip. The chaincode's events drop what a committed block changed: revocation, renewal and
 * rotation drop the attestation, executed governance proposals drop every accreditation. A
 * revocation therefore takes effect at a bank once its block reaches the bank's peer (block
 * delivery time, well under a second here). Without a live event stream nothing is cached.
 */
export function createAttestationView(ledger: LedgerClient, options: AttestationViewOptions = {}): AttestationView {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const attestations = new Map<string, Cached<Attestation>>();
  const accreditations = new Map<string, Cached<Accreditation | null>>();
  const abort = new AbortController();
  let live = false;
  // Bumped by every invalidating event: a peer read that started before one may be stale and is
  // not cached.
  let epoch = 0;

  const onEvent = (event: LedgerEvent) => {
    if (ATTESTATION_EVENTS.has(event.name) || REGISTRY_EVENTS.has(event.name)) epoch++;
    if (ATTESTATION_EVENTS.has(event.name)) {
      const id = (event.payload as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string') attestations.delete(id);
      else attestations.clear();
    } else if (REGISTRY_EVENTS.has(event.name)) {
      accreditations.clear();
    }
  };

  const watch = async () => {
    if (!ledger.watchEvents) return;
    while (!abort.signal.aborted) {
      try {
        // The stream starts at the next block: until it is open, reads go to the peer.
        await ledger.watchEvents(onEvent, abort.signal, () => {
          live = true;
        });
      } catch (error) {
        options.onError?.(error);
      }
      live = false;
      attestations.clear();
      accreditations.clear();
      if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, options.retryMs ?? 1000));
    }
  };
  void watch();

  const fresh = <T>(entry: Cached<T> | undefined): entry is Cached<T> => entry !== undefined && Date.now() - entry.at < maxAgeMs;

  return {
    get live() {
      return live;
    },
    async status(attestationId, now) {
      const attestation = attestations.get(attestationId);
      const accreditation = attestation && accreditations.get(attestation.value.certifier);
      if (live && fresh(attestation) && fresh(accreditation)) {
        return evaluateStatus(attestation.value, accreditation.value ?? undefined, now.toISOString());
      }
      const before = epoch;
      const wasLive = live;
      const status = await ledger.evaluate<AttestationStatus>(F.ATTESTATION_STATUS, [attestationId, now.toISOString()]);
      if (wasLive && live && epoch === before) {
        const at = Date.now();
        attestations.set(status.attestation.id, { value: status.attestation, at });
        accreditations.set(status.attestation.certifier, { value: status.accreditation, at });
      }
      return status;
    },
    close() {
      abort.abort();
    },
  };
}
