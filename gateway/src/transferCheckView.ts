import { canonicalize } from 'json-canonicalize';
import { ChaincodeError, isIssuerCollection } from '@kyc-ledger/api';
import { detectTransferOf } from '@kyc-ledger/chaincode';
import { followBlocks, type BlockFeedOptions } from '@kyc-ledger/follower';
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
  /** Public and private keys held (for metrics). */
  readonly size: { public: number; private: number };
  /** Checks answered by the replica and by the peer, and block stream failures, since start. */
  readonly counts: { replica: number; peer: number; streamErrors: number };
  close(): void;
}

export interface TransferCheckViewOptions extends BlockFeedOptions {
  /** The issuer's MSP id: the org the gateway acts as, and whose collections it receives. */
  mspId: string;
  channel: string;
}

/**
 * The issuer's read model for transfer checks: the public state and the private data of the
 * issuer's collections that a check reads, fed by the channel's blocks with their private data
 * from block 0. While caught up (same rule as the bank's attestation view) a check runs the
 * chaincode's own `detectTransfer` (caller check, facts, rule sets in force, compliance engine; as
 * `detectTransferOf`, on the request body already parsed) against the replica, with the request time as transaction time; otherwise, or when the replica
 * cannot answer a read, it goes to the peer (`transfer:detect`).
 */
export function createTransferCheckView(ledger: LedgerClient, options: TransferCheckViewOptions): TransferCheckView {
  const collections = (name: string) => isIssuerCollection(options.mspId, name);
  const replica = new KeyValueReplica({ publicTypes: TRANSFER_CHECK_PUBLIC_TYPES, privateTypes: TRANSFER_CHECK_PRIVATE_TYPES, collections });
  const publicTypes = new Set<string>(TRANSFER_CHECK_PUBLIC_TYPES);
  const privateTypes = new Set<string>(TRANSFER_CHECK_PRIVATE_TYPES);
  const counts = { replica: 0, peer: 0 };
  const parse = createSharedValueParser();
  let ownWrites = 0n;
  const feed = followBlocks({
    ...(ledger.watchBlocksWithPrivateData && {
      watch: (start: bigint, onBlock: Parameters<NonNullable<LedgerClient['watchBlocksWithPrivateData']>>[2], signal: AbortSignal, onOpen?: () => void) =>
        (ledger.watchBlocksWithPrivateData as NonNullable<LedgerClient['watchBlocksWithPrivateData']>).call(ledger, start, collections, onBlock, signal, onOpen),
    }),
    ...(ledger.chainHeight && { chainHeight: ledger.chainHeight.bind(ledger) }),
  }, replica, options);

  const fromPeer = async (input: string) => {
    counts.peer++;
    return ledger.evaluate<unknown>(F.TRANSFER_DETECT, [input]);
  };

  return {
    get live() {
      return feed.live;
    },
    get caughtUp() {
      return feed.caughtUp && replica.height >= ownWrites;
    },
    committed(blockNumber) {
      if (blockNumber + 1n > ownWrites) ownWrites = blockNumber + 1n;
    },
    get height() {
      return replica.height;
    },
    get size() {
      return replica.counts;
    },
    get counts() {
      return { ...counts, streamErrors: feed.streamErrors };
    },
    async detect(check, now) {
      if (!feed.caughtUp || replica.height < ownWrites) return fromPeer(canonicalize(check));
      const ctx = replicaContext(replica, { mspId: options.mspId, at: now, channel: options.channel, publicTypes, privateTypes, parse });
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
    close() {
      feed.close();
    },
  };
}
