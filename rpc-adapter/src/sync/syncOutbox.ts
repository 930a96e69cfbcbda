import type { Hex } from 'viem';
import type { EvmChange } from '../evm/evmChangeOf';

/**
 * One EVM transaction of the outbox: the sequence range it applies and, once signed, its raw
 * bytes and hash. Written before it is signed (intent) and again before it is broadcast, so after
 * a crash the driver rebroadcasts exactly the bytes it may already have sent, never a second
 * transaction with the same nonce.
 */
export interface OutboxEntry {
  nonce: number;
  fromSeq: number;
  toSeq: number;
  ops: EvmChange[];
  raw?: Hex;
  hash?: Hex;
  /** Block the receipt was last seen in (to tell a reorged-out receipt from a late one). */
  seenInBlock?: number;
  /** The receipt reverted: its range was not applied. */
  reverted?: boolean;
  /** Counted applied (N confirmations) and in the checkpoint; kept a while to survive reorgs. */
  confirmed?: boolean;
}

/**
 * What the outbox needs of its store: the part of abstract-level's API it uses, with string keys
 * and values (a classic-level database on disk, or a sublevel of one).
 */
export interface SyncDb {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  del(key: string): Promise<void>;
  batch(operations: Array<{ type: 'put'; key: string; value: string } | { type: 'del'; key: string }>): Promise<void>;
  values(options: { gte: string; lt: string }): AsyncIterable<string>;
}

const entryPrefix = 'outbox/';
const checkpointKey = 'checkpoint/confirmedSeq';
// Fixed width so the store's lexicographic order is nonce order.
const keyOf = (nonce: number): string => `${entryPrefix}${nonce.toString().padStart(16, '0')}`;

/**
 * The driver's durable state for one linked chain, in an embedded on-disk store (one per chain, or
 * a sublevel): the outbox of signed transactions and the checkpoint (highest sequence counted
 * applied). Every write is a single atomic batch, so a SIGKILL leaves either the old or the new
 * state.
 */
export class SyncOutbox {
  constructor(private readonly db: SyncDb) {}

  /** All entries, in nonce order. */
  async entries(): Promise<OutboxEntry[]> {
    const result: OutboxEntry[] = [];
    for await (const value of this.db.values({ gte: entryPrefix, lt: `${entryPrefix}\xff` })) {
      result.push(JSON.parse(value) as OutboxEntry);
    }
    return result;
  }

  async put(entry: OutboxEntry): Promise<void> {
    await this.db.put(keyOf(entry.nonce), JSON.stringify(entry));
  }

  async remove(nonce: number): Promise<void> {
    await this.db.del(keyOf(nonce));
  }

  async confirmedSeq(): Promise<number> {
    const value = await this.db.get(checkpointKey);
    return value === undefined ? 0 : Number(value);
  }

  /** Marks `entry` confirmed and raises the checkpoint to its range's end, in one atomic batch. */
  async confirm(entry: OutboxEntry, confirmedSeq: number): Promise<void> {
    await this.db.batch([
      { type: 'put', key: keyOf(entry.nonce), value: JSON.stringify({ ...entry, confirmed: true }) },
      { type: 'put', key: checkpointKey, value: String(confirmedSeq) },
    ]);
  }
}
