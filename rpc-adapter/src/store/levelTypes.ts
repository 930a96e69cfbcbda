import type { AbstractChainedBatch, AbstractLevel } from 'abstract-level';

/**
 * The embedded store the adapter keeps its state in: any abstract-level database (classic-level on
 * disk, memory-level in tests), or a sublevel of one, with string keys and values.
 */
export type LevelDb = AbstractLevel<string | Buffer | Uint8Array, string, string>;

/** A chained batch of a {@link LevelDb}: what the follower hands a sink to add a block's effects to. */
export type LevelBatch = AbstractChainedBatch<LevelDb, string, string>;
