import { MemoryLevel } from 'memory-level';
import { createLedgerFollower, type BlockFeedOptions, type FollowerDb } from '@kyc-ledger/follower';
import type { AttestationStatus } from '@kyc-ledger/rules';
import type { LedgerClient } from './fabricClient';
import { LedgerFunctions as F } from './ledgerFunctions';
import { LedgerReplica } from './ledgerReplica';

/** The follower's checkpoint name for the bank's replica in its store. */
export const ATTESTATION_REPLICA = 'attestation-replica';

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
  /** Blocks applied to the replica (the follower's checkpoint: the next block expected). */
  readonly height: bigint;
  /** The height the replica's store held at start: where following resumed. */
  readonly resumedFrom?: bigint | undefined;
  /** Blocks applied since start. */
  readonly blocksApplied?: number;
  /** Attestations held (for metrics). */
  readonly size: number;
  /** Answers given by the replica and by the peer, and block stream failures, since start. */
  readonly counts: { replica: number; peer: number; streamErrors: number };
  close(): void | Promise<void>;
}

export type AttestationViewOptions = BlockFeedOptions & {
  /**
   * The embedded store the replica and its checkpoint live in (classic-level under the gateway's
   * data dir); default: a fresh in-memory store, so every start replays from block 0.
   */
  db?: FollowerDb;
  /** Parsed attestations kept in memory at most. */
  cacheSize?: number;
};

/**
 * The bank's read model for verification: a replica of the attestations, accreditations and
 * members in the gateway's embedded store, fed by the ledger follower from its durable checkpoint
 * (block 0 only for a fresh store), so a restarted gateway resumes where it stopped.
 *
 * While the stream is open and the replica has reached the height the peer reported, `status`
 * is derived locally with the chaincode's own `evaluateStatus`, so a verification needs no ledger
 * round trip. Otherwise (starting, catching up, stream broken or stalled) every read goes to the
 * peer (`attestation:status`), because a replica that is behind may not have seen a revocation.
 * A revocation or de-accreditation therefore takes effect at a bank as soon as its block has
 * reached the bank's peer and been streamed to the gateway.
 */
export function createAttestationView(ledger: LedgerClient, options: AttestationViewOptions = {}): AttestationView {
  const { db = new MemoryLevel<string, string>(), cacheSize, ...feedOptions } = options;
  const replica = new LedgerReplica(db, cacheSize === undefined ? {} : { cacheSize });
  void replica.loadCounts().catch((error: unknown) => feedOptions.onError?.(error));
  const counts = { replica: 0, peer: 0 };
  const follower = createLedgerFollower({
    db,
    name: ATTESTATION_REPLICA,
    source: {
      ...(ledger.watchBlocks && { watch: ledger.watchBlocks.bind(ledger) }),
      ...(ledger.chainHeight && { chainHeight: ledger.chainHeight.bind(ledger) }),
    },
    sink: replica,
    ...feedOptions,
  });

  return {
    get live() {
      return follower.live;
    },
    get caughtUp() {
      return follower.caughtUp;
    },
    get height() {
      return follower.checkpoint ?? 0n;
    },
    get resumedFrom() {
      return follower.resumedFrom;
    },
    get blocksApplied() {
      return follower.blocksApplied;
    },
    get size() {
      return replica.counts.attestations;
    },
    get counts() {
      return { ...counts, streamErrors: follower.streamErrors };
    },
    async status(attestationId, now) {
      if (follower.caughtUp) {
        counts.replica++;
        return replica.status(attestationId, now.toISOString());
      }
      counts.peer++;
      return ledger.evaluate<AttestationStatus>(F.ATTESTATION_STATUS, [attestationId, now.toISOString()]);
    },
    async close() {
      await follower.close();
      if (!options.db) await db.close();
    },
  };
}
