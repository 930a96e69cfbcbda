import { canonicalize } from 'json-canonicalize';
import { ChaincodeError, isIssuerCollection } from '@kyc-ledger/api';
import { detectTransferOf } from '@kyc-ledger/chaincode';
import { MemoryLevel } from 'memory-level';
import { createLedgerFollower, type BlockFeedOptions, type FollowerDb } from '@kyc-ledger/follower';
import type { LedgerClient } from './fabricClient';
import { GatewayError } from './gatewayError';
import { KeyValueReplica } from './keyValueReplica';
import { LedgerFunctions as F } from './ledgerFunctions';
import { replicaContext } from './replicaContext';
import { createSharedValueParser } from './sharedValueParser';

/**
 * What a transfer check reads (chaincode/src/transferFacts.ts, assetAccess.ts, ruleSetStore.ts):
 * public object types, and the private types of the issuer's collections.
 */
export const TRANSFER_CHECK_PUBLIC_TYPES = ['asset', 'registration', 'ruleset', 'attestation', 'accreditation', 'member', 'config'] as const;
export const TRANSFER_CHECK_PRIVATE_TYPES = ['investor', 'holding', 'holders'] as const;

/** The follower's checkpoint name for the issuer's replica in its store. */
export const TRANSFER_CHECK_REPLICA = 'transfer-check-replica';

/** A transfer to check: the body of `transfer:detect`. */
export interface TransferCheck {
  asset: string;
  from?: string | null | undefined;
  to: string;
  amount: string;
}

/** How an issuer gateway answers `transfer:detect`. */
export interface TransferCheckView {
  /**
   * The verdict of `transfer:detect` at transaction time `now`, or the chaincode's coded error
   * (NOT_FOUND, FORBIDDEN, INVALID_ARGUMENT) as a GatewayError, wherever it was computed.
   */
  detect(check: TransferCheck, now: Date): Promise<unknown>;
  /**
   * Tells the view that this gateway's own transaction committed in `blockNumber` on its peer:
   * until the replica has applied that block, checks go to the peer, so a check right after a
   * freeze or transfer made through this gateway sees it.
   */
  committed(blockNumber: bigint): void;
  readonly live: boolean;
  readonly caughtUp: boolean;
  readonly height: bigint;
  /** The height the replica's store held at start: where following resumed. */
  readonly resumedFrom?: bigint | undefined;
  /** Blocks applied since start. */
  readonly blocksApplied?: number;
  /** Public and private keys held (for metrics). */
  readonly size: { public: number; private: number };
  /** Checks answered by the replica and by the peer, and block stream failures, since start. */
  readonly counts: { replica: number; peer: number; streamErrors: number };
  close(): void | Promise<void>;
}

export interface TransferCheckViewOptions extends BlockFeedOptions {
  /** The issuer's MSP id: the org the gateway acts as, and whose collections it receives. */
  mspId: string;
  channel: string;
  /**
   * The embedded store the replica and its checkpoint live in (classic-level under the gateway's
   * data dir); default: a fresh in-memory store, so every start replays from block 0.
   */
  db?: FollowerDb;
  /** Bytes of values kept in memory at most (the most recently read); see KeyValueReplica. */
  cacheBytes?: number;
}

/**
 * The issuer's read model for transfer checks: the public state and the private data of the
 * issuer's collections that a check reads, kept in the gateway's embedded store and fed by the
 * ledger follower from its durable checkpoint (block 0 only for a fresh store), with the blocks'
 * private data, so a restarted gateway resumes where it stopped. While caught up (same rule as
 * the bank's attestation view) a check runs the chaincode's own `detectTransfer` (caller check,
 * facts, rule sets in force, compliance engine; as `detectTransferOf`, on the request body
 * already parsed) against the replica, with the request time as transaction time; otherwise, or
 * when the replica cannot answer a read, it goes to the peer (`transfer:detect`).
 */
export function createTransferCheckView(ledger: LedgerClient, options: TransferCheckViewOptions): TransferCheckView {
  const { db = new MemoryLevel<string, string>(), cacheBytes, mspId, channel, ...feedOptions } = options;
  const collections = (name: string) => isIssuerCollection(mspId, name);
  const replica = new KeyValueReplica(db, {
    publicTypes: TRANSFER_CHECK_PUBLIC_TYPES, privateTypes: TRANSFER_CHECK_PRIVATE_TYPES, collections, ...(cacheBytes !== undefined && { cacheBytes }),
  });
  void replica.loadCounts().catch((error: unknown) => feedOptions.onError?.(error));
  const publicTypes = new Set<string>(TRANSFER_CHECK_PUBLIC_TYPES);
  const privateTypes = new Set<string>(TRANSFER_CHECK_PRIVATE_TYPES);
  const counts = { replica: 0, peer: 0 };
  const parse = createSharedValueParser();
  let ownWrites = 0n;
  const watch = ledger.watchBlocksWithPrivateData;
  const follower = createLedgerFollower({
    db,
    name: TRANSFER_CHECK_REPLICA,
    source: {
      ...(watch && {
        watch: (start: bigint, onBlock: Parameters<NonNullable<LedgerClient['watchBlocksWithPrivateData']>>[2], signal: AbortSignal, onOpen?: () => void) =>
          watch.call(ledger, start, collections, onBlock, signal, onOpen),
      }),
      ...(ledger.chainHeight && { chainHeight: ledger.chainHeight.bind(ledger) }),
    },
    sink: replica,
    ...feedOptions,
  });
  const height = () => follower.checkpoint ?? 0n;

  const fromPeer = async (input: string) => {
    counts.peer++;
    return ledger.evaluate<unknown>(F.TRANSFER_DETECT, [input]);
  };

  return {
    get live() {
      return follower.live;
    },
    get caughtUp() {
      return follower.caughtUp && height() >= ownWrites;
    },
    committed(blockNumber) {
      if (blockNumber + 1n > ownWrites) ownWrites = blockNumber + 1n;
    },
    get height() {
      return height();
    },
    get resumedFrom() {
      return follower.resumedFrom;
    },
    get blocksApplied() {
      return follower.blocksApplied;
    },
    get size() {
      return replica.counts;
    },
    get counts() {
      return { ...counts, streamErrors: follower.streamErrors };
    },
    async detect(check, now) {
      if (!follower.caughtUp || height() < ownWrites) return fromPeer(canonicalize(check));
      const ctx = replicaContext(replica, { mspId, at: now, channel, publicTypes, privateTypes, parse });
      let verdict;
      try {
        verdict = await detectTransferOf(ctx, check);
      } catch (error) {
        // The chaincode's coded refusals are answers; anything else (a read the replica cannot
        // serve, an unexpected failure) is left to the peer, which answers it authoritatively.
        if (!(error instanceof ChaincodeError)) return fromPeer(canonicalize(check));
        counts.replica++;
        throw new GatewayError(error.code, JSON.parse(error.message).message as string, error.details === undefined ? {} : { details: error.details });
      }
      counts.replica++;
      return verdict;
    },
    async close() {
      await follower.close();
      if (!options.db) await db.close();
    },
  };
}
