import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { COMPOSITE_KEY_NAMESPACE, COMPOSITE_KEY_SEPARATOR } from '@kyc-ledger/api';
import type { CommittedBlock, FollowerBatch, FollowerDb, LedgerFollowerSink } from '@kyc-ledger/follower';
import type { AbstractSublevel } from 'abstract-level';

/** The object type of a composite key, or undefined for any other key. */
export function objectTypeOf(key: string): string | undefined {
  if (!key.startsWith(COMPOSITE_KEY_NAMESPACE)) return undefined;
  const end = key.indexOf(COMPOSITE_KEY_SEPARATOR, COMPOSITE_KEY_NAMESPACE.length);
  return end < 0 ? undefined : key.slice(COMPOSITE_KEY_NAMESPACE.length, end);
}

const keyHash = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * Thrown by a read the replica cannot answer: a private key whose latest write the peer did not
 * deliver. The reader then asks the peer instead.
 */
export class ReplicaGapError extends Error {
  constructor(collection: string) {
    super(`the replica lacks private data of ${collection}`);
    this.name = 'ReplicaGapError';
  }
}

export interface KeyValueReplicaOptions {
  /** Object types of the public state to keep. */
  publicTypes: readonly string[];
  /** Private collections to keep. */
  collections: (name: string) => boolean;
  /** Object types of private data to keep. */
  privateTypes: readonly string[];
  /** Bytes of values (and absences) kept in memory at most, the most recently read; default 32 MiB. */
  cacheBytes?: number;
}

export type KeyValueCounts = { public: number; private: number };
type StoredCounts = KeyValueCounts & { unknown: Record<string, number> };
type Entry = { key: string; value: Uint8Array };
type Sub<V> = AbstractSublevel<FollowerDb, string | Buffer | Uint8Array, string, V>;

const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;
/** Cached scans at most (a check scans a few prefixes: rule sets of an asset and of the consortium). */
const SCAN_LIMIT = 1_000;
/** What a cache entry costs beyond its value's bytes (key string, entry object, LRU bookkeeping). */
const ENTRY_OVERHEAD = 128;
const COUNTS = 'counts';
/**
 * Private keys are stored under `collection NUL key`: Fabric collection names never hold a NUL,
 * and a composite key starts with one, so neither part can run into the other.
 */
const privateKey = (collection: string, key: string) => `${collection}\u0000${key}`;

/**
 * A chaincode's world state and private data as of a block height, limited to some object types
 * and collections, kept in the follower's embedded store (abstract-level) and built by applying
 * committed blocks in order, so memory does not grow with the ledger. It is a
 * {@link LedgerFollowerSink}: its height is the follower's checkpoint, written in the same batch as
 * a block's effects.
 *
 * Stored under the sublevel `kv-replica` of the store: `public` (key → bytes), `private`
 * (collection, key → bytes), `hashes` (collection, SHA-256 of a kept key → the key: a purge may
 * name a key by hash alone), `unknown` (collection, hash of a key whose latest value the peer did
 * not deliver) and `meta` (counts, also of unknown keys per collection, so a read checks the
 * store for a gap only in a collection that has one).
 *
 * Values are kept as the bytes the chaincode wrote. The most recently read values (and absences),
 * and scans, are also kept in bounded LRU caches, and a cached read returns the same bytes object
 * until the key is written again, which is what lets a reader remember its parse
 * (sharedValueParser.ts). A block's commit drops the cached copies of what it wrote.
 *
 * Re-applying a block writes the same values again and the counts are derived from what the store
 * holds, so a rewound checkpoint is harmless.
 */
export class KeyValueReplica implements LedgerFollowerSink<CommittedBlock> {
  readonly #public: Sub<Uint8Array>;
  readonly #private: Sub<Uint8Array>;
  readonly #hashes: Sub<string>;
  readonly #unknown: Sub<string>;
  readonly #meta: Sub<string>;
  readonly #publicTypes: ReadonlySet<string>;
  readonly #privateTypes: ReadonlySet<string>;
  readonly #keepCollection: (name: string) => boolean;
  /** Point reads by store key (a public key, or `collection NUL key`); `value` undefined: absent. */
  readonly #values: LRUCache<string, { value: Uint8Array | undefined }>;
  /** Scans by store-key prefix. */
  readonly #scans = new LRUCache<string, Entry[]>({ max: SCAN_LIMIT });
  #counts: StoredCounts | undefined;
  #loading: Promise<void> | undefined;
  #pendingCounts: StoredCounts | undefined;
  #pendingKeys: string[] = [];
  // Bumped by every commit: a store read that started before it may hold an older value, which
  // must not be cached.
  #generation = 0;

  constructor(db: FollowerDb, options: KeyValueReplicaOptions) {
    const root = db.sublevel<string, string>('kv-replica', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const bytes = (name: string) => root.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' }) as unknown as Sub<Uint8Array>;
    const text = (name: string) => root.sublevel<string, string>(name, { keyEncoding: 'utf8', valueEncoding: 'utf8' }) as unknown as Sub<string>;
    this.#public = bytes('public');
    this.#private = bytes('private');
    this.#hashes = text('hashes');
    this.#unknown = text('unknown');
    this.#meta = text('meta');
    this.#publicTypes = new Set(options.publicTypes);
    this.#privateTypes = new Set(options.privateTypes);
    this.#keepCollection = options.collections;
    this.#values = new LRUCache({
      maxSize: options.cacheBytes ?? DEFAULT_CACHE_BYTES,
      sizeCalculation: (entry, key) => ENTRY_OVERHEAD + key.length * 2 + (entry.value?.byteLength ?? 0),
    });
  }

  /** Keys held: public, and private over every collection (known once the store was read). */
  get counts(): KeyValueCounts {
    return { public: this.#counts?.public ?? 0, private: this.#counts?.private ?? 0 };
  }

  /** Values (and absences) held in memory (bounded by the cache size). */
  get cachedValues(): number {
    return this.#values.size;
  }

  /** Reads the counts from the store (once; later they follow each commit). */
  async loadCounts(): Promise<KeyValueCounts> {
    this.#loading ??= this.#meta.get(COUNTS).then((stored) => {
      this.#counts ??= stored === undefined ? { public: 0, private: 0, unknown: {} } : (JSON.parse(stored) as StoredCounts);
    });
    await this.#loading;
    return this.counts;
  }

  /**
   * Adds one block's effects to `batch`, with the peer's rules: the last write of a key in the
   * block wins; a private put of a kept type keeps the value and its key's hash; any other
   * private write (delete, purge, a put of another type, a put not delivered) removes the key its
   * hash names; a put not delivered of a kept type (or of a key not known) marks the hash unknown.
   */
  async applyBlock(block: CommittedBlock, batch: FollowerBatch): Promise<void> {
    const counts = await this.loadCounts().then(() => this.#counts as StoredCounts);
    // Final state in this block, by store key (public key, or collection NUL key / hash).
    const publicWrites = new Map<string, Uint8Array | undefined>();
    for (const { key, value } of block.writes) {
      const type = objectTypeOf(key);
      if (type !== undefined && this.#publicTypes.has(type)) publicWrites.set(key, value);
    }
    const writes = (block.privateWrites ?? []).filter((w) => this.#keepCollection(w.collection));
    const privateWrites = new Map<string, Uint8Array | undefined>();
    const hashWrites = new Map<string, string | undefined>();
    const unknownWrites = new Map<string, boolean>();
    // The store's key for each hash named, read once: the block's own writes overlay it.
    const hashIds = [...new Set(writes.map((w) => privateKey(w.collection, w.keyHash)))];
    const storedKeys = new Map<string, string | undefined>();
    if (hashIds.length > 0) (await this.#hashes.getMany(hashIds)).forEach((key, i) => storedKeys.set(hashIds[i] as string, key));
    const keyOfHash = (id: string) => (hashWrites.has(id) ? hashWrites.get(id) : storedKeys.get(id));
    for (const w of writes) {
      const id = privateKey(w.collection, w.keyHash);
      const type = w.key === undefined ? undefined : objectTypeOf(w.key);
      if (w.kind === 'put' && w.key !== undefined && w.value !== undefined && type !== undefined && this.#privateTypes.has(type)) {
        privateWrites.set(privateKey(w.collection, w.key), w.value);
        hashWrites.set(id, w.key);
        unknownWrites.set(id, false);
        continue;
      }
      const known = keyOfHash(id);
      if (known !== undefined) privateWrites.set(privateKey(w.collection, known), undefined);
      hashWrites.set(id, undefined);
      // An unknown write may be to a kept type; only a delivered key of another type is safe to forget.
      unknownWrites.set(id, w.kind === 'unknown' && (type === undefined || this.#privateTypes.has(type)));
    }
    if (publicWrites.size + privateWrites.size + hashWrites.size === 0) {
      this.#pendingCounts = undefined;
      this.#pendingKeys = [];
      return;
    }

    const next: StoredCounts = { ...counts, unknown: { ...counts.unknown } };
    const had = async <V>(sub: Sub<V>, keys: string[]) => (keys.length === 0 ? [] : (await sub.getMany(keys)).map((v) => v !== undefined));
    const publicKeys = [...publicWrites.keys()];
    (await had(this.#public, publicKeys)).forEach((existed, i) => {
      const key = publicKeys[i] as string;
      const value = publicWrites.get(key);
      if (value === undefined) {
        if (existed) next.public--;
        batch.del<string>(key, { sublevel: this.#public as never });
      } else {
        if (!existed) next.public++;
        batch.put<string, Uint8Array>(key, value, { sublevel: this.#public as never });
      }
    });
    const privateKeys = [...privateWrites.keys()];
    (await had(this.#private, privateKeys)).forEach((existed, i) => {
      const key = privateKeys[i] as string;
      const value = privateWrites.get(key);
      if (value === undefined) {
        if (existed) next.private--;
        batch.del<string>(key, { sublevel: this.#private as never });
      } else {
        if (!existed) next.private++;
        batch.put<string, Uint8Array>(key, value, { sublevel: this.#private as never });
      }
    });
    for (const [id, key] of hashWrites) {
      if (key === undefined) batch.del<string>(id, { sublevel: this.#hashes as never });
      else batch.put<string, string>(id, key, { sublevel: this.#hashes as never });
    }
    const unknownIds = [...unknownWrites.keys()];
    (await had(this.#unknown, unknownIds)).forEach((existed, i) => {
      const id = unknownIds[i] as string;
      const collection = id.slice(0, id.indexOf('\u0000'));
      const delta = (unknownWrites.get(id) ? 1 : 0) - (existed ? 1 : 0);
      if (delta !== 0) {
        const n = (next.unknown[collection] ?? 0) + delta;
        if (n === 0) delete next.unknown[collection];
        else next.unknown[collection] = n;
      }
      if (unknownWrites.get(id)) batch.put<string, string>(id, '', { sublevel: this.#unknown as never });
      else batch.del<string>(id, { sublevel: this.#unknown as never });
    });
    batch.put<string, string>(COUNTS, JSON.stringify(next), { sublevel: this.#meta as never });
    this.#pendingCounts = next;
    this.#pendingKeys = [...publicKeys, ...privateKeys];
  }

  /** The block's batch is written: drop cached copies of what it changed. */
  committed(): void {
    this.#generation++;
    if (this.#pendingKeys.length > 0) {
      for (const key of this.#pendingKeys) this.#values.delete(key);
      if (this.#scans.size > 0) {
        const stale = [...this.#scans.keys()].filter((prefix) => this.#pendingKeys.some((key) => key.startsWith(prefix)));
        for (const prefix of stale) this.#scans.delete(prefix);
      }
    }
    this.#pendingKeys = [];
    if (this.#pendingCounts) this.#counts = this.#pendingCounts;
    this.#pendingCounts = undefined;
  }

  // Not async: a cached read (the hot path of a check, some twenty per check) costs one resolved
  // promise and nothing more.
  #get(sub: Sub<Uint8Array>, key: string): Promise<Uint8Array | undefined> {
    const cached = this.#values.get(key);
    return cached ? Promise.resolve(cached.value) : this.#load(sub, key);
  }

  async #load(sub: Sub<Uint8Array>, key: string): Promise<Uint8Array | undefined> {
    const generation = this.#generation;
    const value = await sub.get(key);
    if (generation === this.#generation) this.#values.set(key, { value });
    return value;
  }

  /** Entries whose store key starts with `prefix`, in the store's key order (bytewise, as a peer's). */
  async #scan(sub: Sub<Uint8Array>, prefix: string, strip: number): Promise<Entry[]> {
    const cached = this.#scans.get(prefix);
    if (cached) return cached;
    const generation = this.#generation;
    const entries: Entry[] = [];
    // Keys under a prefix are contiguous in the store's order: stop at the first one past it.
    for await (const [key, value] of sub.iterator({ gte: prefix })) {
      if (!key.startsWith(prefix)) break;
      entries.push({ key: key.slice(strip), value });
    }
    if (generation === this.#generation) this.#scans.set(prefix, entries);
    return entries;
  }

  getState(key: string): Promise<Uint8Array | undefined> {
    return this.#get(this.#public, key);
  }

  /** Keys of the public state under a partial composite key of `type`, in key order. */
  scanState(_type: string, prefix: string): Promise<Entry[]> {
    return this.#scan(this.#public, prefix, 0);
  }

  /** Rejects with {@link ReplicaGapError} when the key's latest value was not delivered. */
  getPrivateData(collection: string, key: string): Promise<Uint8Array | undefined> {
    // The common case, no unknown key in the collection, costs no store read.
    if (this.#counts !== undefined && (this.#counts.unknown[collection] ?? 0) === 0) return this.#get(this.#private, privateKey(collection, key));
    return this.#gapCheck(collection, key).then(() => this.#get(this.#private, privateKey(collection, key)));
  }

  /** Rejects with {@link ReplicaGapError} while any key of the collection is not known. */
  async scanPrivateData(collection: string, _type: string, prefix: string): Promise<Entry[]> {
    // Any key not known might fall under the prefix.
    if ((await this.#unknownIn(collection)) > 0) throw new ReplicaGapError(collection);
    return this.#scan(this.#private, privateKey(collection, prefix), collection.length + 1);
  }

  /** Keys of the collection whose latest value is not known (the counts read once, at the first call). */
  async #unknownIn(collection: string): Promise<number> {
    if (this.#counts === undefined) await this.loadCounts();
    return (this.#counts as StoredCounts).unknown[collection] ?? 0;
  }

  async #gapCheck(collection: string, key: string): Promise<void> {
    if ((await this.#unknownIn(collection)) === 0) return;
    if ((await this.#unknown.get(privateKey(collection, keyHash(key)))) !== undefined) throw new ReplicaGapError(collection);
  }
}
