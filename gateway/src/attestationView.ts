import type { AttestationStatus } from '@kyc-ledger/rules';
import type { LedgerClient } from './fabricClient';
import { LedgerFunctions as F } from './ledgerFunctions';
import { LedgerReplica } from './ledgerReplica';
import { followBlocks, type BlockFeedOptions } from '@kyc-ledger/follower';

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

export type AttestationViewOptions = BlockFeedOptions;

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
  const counts = { replica: 0, peer: 0 };
  const feed = followBlocks({
    ...(ledger.watchBlocks && { watch: ledger.watchBlocks.bind(ledger) }),
    ...(ledger.chainHeight && { chainHeight: ledger.chainHeight.bind(ledger) }),
  }, replica, options);

  return {
    get live() {
      return feed.live;
    },
    get caughtUp() {
      return feed.caughtUp;
    },
    get height() {
      return replica.height;
    },
    get size() {
      return replica.counts.attestations;
    },
    get counts() {
      return { ...counts, streamErrors: feed.streamErrors };
    },
    async status(attestationId, now) {
      if (feed.caughtUp) {
        counts.replica++;
        return replica.status(attestationId, now.toISOString());
      }
      counts.peer++;
      return ledger.evaluate<AttestationStatus>(F.ATTESTATION_STATUS, [attestationId, now.toISOString()]);
    },
    close() {
      feed.close();
    },
  };
}
