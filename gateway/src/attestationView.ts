import type { AttestationStatus } from '@kyc-ledger/chaincode/dist/index';
import type { LedgerClient } from './fabricClient';
import { LedgerFunctions as F } from './ledgerFunctions';
import { LedgerReplica } from './ledgerReplica';

/** How a bank gateway learns an attestation's standing. */
export interface AttestationView {
  /**
   * The attestation's status at `now`, with every failing reason, exactly as `attestation:status`
   * answers it (an unknown id: the chaincode's NOT_FOUND error).
   */
  status(attestationId: string, now: Date): Promise<AttestationStatus>;
  /** True while the block stream is open. */
  readonly live: boolean;
  /** True while the replica answers: the stream is open and has applied every block the peer had. */
  readonly caughtUp: boolean;
  /** Blocks applied to the replica. */
  readonly height: bigint;
  /** Attestations held (for metrics). */
  readonly size: number;
  /** Answers given by the replica and by the peer, and block stream failures, since start. */
  readonly counts: { replica: number; peer: number; streamErrors: number };
  close(): void;
}

export interface AttestationViewOptions {
  /** Wait before reopening a broken block stream (default 1 s). */
  retryMs?: number;
  /**
   * How often the peer's height is read while live (default 5 s). A block the peer held at one
   * check must have been applied by the next, otherwise the stream is taken as stalled and reads go
   * to the peer until it catches up.
   */
  heightCheckMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The bank's read model for verification: a replica of the attestations, accreditations and
 * members, fed by the channel's blocks from block 0 (resuming at its height after a break).
 *
 * While the stream is open and the replica has reached the height the peer reported, `status`
 * is derived locally with the chaincode's own `evaluateStatus`, so a verification needs no ledger
 * round trip. Otherwise (starting, catching up, stream broken or stalled) every read goes to the
 * peer (`attestation:status`), because a replica that is behind may not have seen a revocation.
 * A revocation or de-accreditation therefore takes effect at a bank as soon as its block has
 * reached the bank's peer and been streamed to the gateway.
 */
export function createAttestationView(ledger: LedgerClient, options: AttestationViewOptions = {}): AttestationView {
  const replica = new LedgerReplica();
  const abort = new AbortController();
  const counts = { replica: 0, peer: 0, streamErrors: 0 };
  let live = false;
  // Which stream a height answer belongs to: one for a stream that has since broken is dropped.
  let generation = 0;
  // The height the replica must have reached to answer, and the peer's height at the last check.
  let required: bigint | undefined;
  let lastSeen: bigint | undefined;

  const caughtUp = () => live && required !== undefined && replica.height >= required;

  const checkHeight = async (stream: number) => {
    if (!ledger.chainHeight) return;
    try {
      const height = await ledger.chainHeight();
      if (stream !== generation || !live) return;
      // The newest height is not required at once (a block in flight would make every check flap
      // to the peer); the height seen one check earlier is, which catches a stalled stream.
      if (required === undefined) required = height;
      else if (lastSeen !== undefined && lastSeen > required) required = lastSeen;
      lastSeen = height;
    } catch (error) {
      options.onError?.(error);
    }
  };

  const stream = async () => {
    if (!ledger.watchBlocks || !ledger.chainHeight) return;
    while (!abort.signal.aborted) {
      const current = ++generation;
      try {
        await ledger.watchBlocks(replica.height, (block) => replica.apply(block), abort.signal, () => {
          live = true;
          void checkHeight(current);
        });
      } catch (error) {
        counts.streamErrors++;
        options.onError?.(error);
      }
      live = false;
      required = undefined;
      lastSeen = undefined;
      if (!abort.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000).unref());
      }
    }
  };
  void stream();

  const timer = setInterval(() => {
    if (live) void checkHeight(generation);
  }, options.heightCheckMs ?? 5000);
  timer.unref();

  return {
    get live() {
      return live;
    },
    get caughtUp() {
      return caughtUp();
    },
    get height() {
      return replica.height;
    },
    get size() {
      return replica.counts.attestations;
    },
    get counts() {
      return { ...counts };
    },
    async status(attestationId, now) {
      if (caughtUp()) {
        counts.replica++;
        return replica.status(attestationId, now.toISOString());
      }
      counts.peer++;
      return ledger.evaluate<AttestationStatus>(F.ATTESTATION_STATUS, [attestationId, now.toISOString()]);
    },
    close() {
      abort.abort();
      clearInterval(timer);
    },
  };
}
