import type { AbstractChainedBatch, AbstractLevel, AbstractSublevel } from 'abstract-level';
import { followBlocks, type BlockFeed, type BlockSink, type BlockSource } from './blockFeed';
import { FollowerError, FollowerErrorCodes } from './followerError';

/**
 * The embedded store a follower keeps its checkpoint in, and its sinks their state: any
 * abstract-level database with string keys and values (classic-level on disk, memory-level in
 * tests), or a sublevel of one.
 */
export type FollowerDb = AbstractLevel<string | Buffer | Uint8Array, string, string>;

/** A sublevel of a {@link FollowerDb} with string keys and values, where a sink keeps its state. */
export type FollowerSublevel = AbstractSublevel<FollowerDb, string | Buffer | Uint8Array, string, string>;

/** A chained batch of a {@link FollowerDb}: a block's effects and the checkpoint, written at once. */
export type FollowerBatch = AbstractChainedBatch<FollowerDb, string, string>;

/** What a follower feeds: something whose state is kept in the follower's store. */
export interface LedgerFollowerSink<B> {
  /**
   * Adds the block's effects to `batch` (use `{ sublevel }` to write to the sink's own sublevels of
   * the follower's `db`); nothing is written until the follower writes the batch, with the
   * checkpoint. It may read the store: every earlier block has been written. Applying a block
   * again (a rewound checkpoint) must leave the state as applying it once does. A throw discards
   * the batch and the block is tried again after a back-off, never skipped.
   */
  applyBlock(block: B, batch: FollowerBatch): void | Promise<void>;
  /** Runs once the block's batch is written (e.g. to drop cached copies of what it changed). */
  committed?(block: B): void;
}

export interface LedgerFollowerOptions<B extends { number: bigint }> {
  db: FollowerDb;
  /** Names this follower's checkpoint in `db`: one name per independent consumer. */
  name: string;
  source: BlockSource<B>;
  sink: LedgerFollowerSink<B>;
  /** The first block when the store holds no checkpoint (default 0). */
  startBlock?: bigint;
  /** Wait before reopening a broken stream, and the first wait after a sink error (default 1 s). */
  retryMs?: number;
  /** Longest wait between attempts at a block whose sink keeps failing (default 30 s). */
  maxBackoffMs?: number;
  /** How often the peer's height is read while live (default 5 s); see `followBlocks`. */
  heightCheckMs?: number;
  onError?: (error: unknown) => void;
}

/** A running {@link createLedgerFollower}. */
export interface LedgerFollower extends BlockFeed {
  /** The lowest block not yet fully handled (what the store holds); undefined until opened. */
  readonly checkpoint: bigint | undefined;
  /** The checkpoint read from the store at start: where this run resumed. */
  readonly resumedFrom: bigint | undefined;
  /** Blocks handled since start. */
  readonly blocksApplied: number;
  /** Times the sink (or the batch write) failed since start. */
  readonly sinkErrors: number;
  /** Resolves once the checkpoint is read and following has begun. */
  readonly opened: Promise<void>;
  /** Stops following and waits for a block being written to land (or be dropped). */
  close(): Promise<void>;
}

const CHECKPOINTS = 'follower-checkpoints';

function checkpointStore(db: FollowerDb) {
  return db.sublevel<string, string>(CHECKPOINTS, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
}

function parseCheckpoint(name: string, value: string): bigint {
  if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new FollowerError(FollowerErrorCodes.BAD_CHECKPOINT, `checkpoint ${name} is not a block number`, { details: { name, value } });
  return BigInt(value);
}

/** The checkpoint stored under `name`: the next block to handle, or undefined when none is stored. */
export async function readCheckpoint(db: FollowerDb, name: string): Promise<bigint | undefined> {
  const value = await checkpointStore(db).get(name);
  return value === undefined ? undefined : parseCheckpoint(name, value);
}

/**
 * Sets the checkpoint under `name` (for operators and tests: a rewound checkpoint makes the next
 * start re-apply the blocks from `block` on, which every sink must take without harm).
 */
export async function writeCheckpoint(db: FollowerDb, name: string, block: bigint): Promise<void> {
  await checkpointStore(db).put(name, block.toString());
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  if (signal.aborted) return resolve();
  const timer = setTimeout(done, ms);
  function done() {
    clearTimeout(timer);
    signal.removeEventListener('abort', done);
    resolve();
  }
  signal.addEventListener('abort', done, { once: true });
});

/**
 * Follows the channel's blocks into `sink` from the checkpoint kept in `db`, so a restart resumes
 * where the store says rather than from block 0. Each block's effects and the next checkpoint are
 * written in one batch: they land together or not at all, whatever kills the process. The
 * checkpoint is always the lowest block not yet fully handled, because blocks are handled one at a
 * time in order and the stream is not read further until the batch is written. A sink that fails
 * holds the follower on that block, retrying with a doubling back-off; no block is ever skipped.
 * Caught up is as in `followBlocks`: live and at the peer's height.
 */
export function createLedgerFollower<B extends { number: bigint }>(options: LedgerFollowerOptions<B>): LedgerFollower {
  const { db, name, sink } = options;
  if (!name) throw new TypeError('a follower needs a name for its checkpoint');
  const checkpoints = checkpointStore(db);
  const retryMs = options.retryMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const stop = new AbortController();
  let checkpoint: bigint | undefined;
  let resumedFrom: bigint | undefined;
  let blocksApplied = 0;
  let sinkErrors = 0;
  let feed: BlockFeed | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const handle = async (block: B, expected: bigint) => {
    // A reopened stream starts at the checkpoint, but a source may repeat what was handled.
    if (block.number < expected) return;
    if (block.number > expected) {
      throw new FollowerError(FollowerErrorCodes.BLOCK_GAP, `block ${block.number} arrived while block ${expected} was expected`, { details: { name, block: block.number.toString(), expected: expected.toString() } });
    }
    let wait = retryMs;
    for (;;) {
      if (stop.signal.aborted) throw new FollowerError(FollowerErrorCodes.FOLLOWER_CLOSED, `follower ${name} closed before block ${block.number} was handled`);
      const batch = db.batch();
      try {
        await sink.applyBlock(block, batch);
        batch.put(name, (block.number + 1n).toString(), { sublevel: checkpoints });
        await batch.write();
        break;
      } catch (error) {
        await batch.close().catch(() => undefined);
        sinkErrors++;
        options.onError?.(error);
        await sleep(wait, stop.signal);
        wait = Math.min(wait * 2, maxBackoffMs);
      }
    }
    checkpoint = block.number + 1n;
    blocksApplied++;
    sink.committed?.(block);
  };

  const feedSink: BlockSink<B> = {
    get height() {
      return checkpoint ?? 0n;
    },
    apply(block) {
      // One block at a time even from a source that does not await: each waits for the one before.
      const handling = inFlight.then(() => handle(block, checkpoint ?? 0n));
      inFlight = handling.catch(() => undefined);
      return handling;
    },
  };

  const opened = (async () => {
    // A chained batch needs an open store (reads alone would wait for a deferred open).
    await db.open();
    checkpoint = (await readCheckpoint(db, name)) ?? options.startBlock ?? 0n;
    resumedFrom = checkpoint;
    if (stop.signal.aborted) return;
    feed = followBlocks(options.source, feedSink, {
      retryMs,
      ...(options.heightCheckMs !== undefined && { heightCheckMs: options.heightCheckMs }),
      ...(options.onError && { onError: options.onError }),
    });
  })();
  // A bad stored checkpoint rejects `opened`; reported here too, for callers that never await it.
  opened.catch((error: unknown) => options.onError?.(error));

  return {
    get checkpoint() {
      return checkpoint;
    },
    get resumedFrom() {
      return resumedFrom;
    },
    get blocksApplied() {
      return blocksApplied;
    },
    get sinkErrors() {
      return sinkErrors;
    },
    get live() {
      return feed?.live ?? false;
    },
    get caughtUp() {
      return feed?.caughtUp ?? false;
    },
    get streamErrors() {
      return feed?.streamErrors ?? 0;
    },
    opened,
    async close() {
      stop.abort();
      await opened.catch(() => undefined);
      feed?.close();
      await inFlight;
    },
  };
}
