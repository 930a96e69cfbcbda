import { createHash } from 'node:crypto';
import { COMPOSITE_KEY_NAMESPACE, COMPOSITE_KEY_SEPARATOR } from '@kyc-ledger/api';
import type { CommittedBlock } from '@kyc-ledger/follower';

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

/** Keys of one store, grouped by object type so that a partial-key scan looks at one type only. */
class TypedStore {
  readonly #byType = new Map<string, Map<string, Uint8Array>>();

  get(key: string): Uint8Array | undefined {
    const type = objectTypeOf(key);
    return type === undefined ? undefined : this.#byType.get(type)?.get(key);
  }

  set(type: string, key: string, value: Uint8Array | undefined): void {
    let keys = this.#byType.get(type);
    if (value === undefined) {
      keys?.delete(key);
      return;
    }
    if (!keys) this.#byType.set(type, (keys = new Map()));
    keys.set(key, value);
  }

  /** Keys starting with `prefix` (itself a composite key prefix of `type`), in key order like a peer. */
  scan(type: string, prefix: string): { key: string; value: Uint8Array }[] {
    const matches: { key: string; value: Uint8Array }[] = [];
    for (const [key, value] of this.#byType.get(type) ?? []) if (key.startsWith(prefix)) matches.push({ key, value });
    return matches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  count(): number {
    let n = 0;
    for (const keys of this.#byType.values()) n += keys.size;
    return n;
  }
}

/** A private collection: its keys, their hashes (purges name keys by hash) and the hashes not known. */
class CollectionStore {
  readonly store = new TypedStore();
  readonly #keyOfHash = new Map<string, { type: string; key: string }>();
  /** Hashes of kept-type keys whose latest value was not delivered. */
  readonly unknown = new Set<string>();

  put(type: string, key: string, hash: string, value: Uint8Array): void {
    this.store.set(type, key, value);
    this.#keyOfHash.set(hash, { type, key });
    this.unknown.delete(hash);
  }

  remove(hash: string): void {
    const known = this.#keyOfHash.get(hash);
    if (known) this.store.set(known.type, known.key, undefined);
    this.#keyOfHash.delete(hash);
    this.unknown.delete(hash);
  }
}

export interface KeyValueReplicaOptions {
  /** Object types of the public state to keep. */
  publicTypes: readonly string[];
  /** Private collections to keep. */
  collections: (name: string) => boolean;
  /** Object types of private data to keep. */
  privateTypes: readonly string[];
}

/**
 * A chaincode's world state and private data as of a block height, limited to some object types
 * and collections, built by applying committed blocks in order. Values are kept as the bytes the
 * chaincode wrote; a read returns the same bytes object until the key is written again, which is
 * what lets a reader remember its parse (sharedValueParser.ts).
 */
export class KeyValueReplica {
  #height = 0n;
  readonly #public = new TypedStore();
  readonly #collections = new Map<string, CollectionStore>();
  readonly #publicTypes: ReadonlySet<string>;
  readonly #privateTypes: ReadonlySet<string>;
  readonly #keepCollection: (name: string) => boolean;

  constructor(options: KeyValueReplicaOptions) {
    this.#publicTypes = new Set(options.publicTypes);
    this.#privateTypes = new Set(options.privateTypes);
    this.#keepCollection = options.collections;
  }

  /** Number of blocks applied (the next block expected is this number). */
  get height(): bigint {
    return this.#height;
  }

  /** Keys held: public, and private over every collection. */
  get counts(): { public: number; private: number } {
    let priv = 0;
    for (const c of this.#collections.values()) priv += c.store.count();
    return { public: this.#public.count(), private: priv };
  }

  /**
   * Applies one block. A block already applied (a restarted stream repeats from the height) is
   * ignored and false returned; a gap throws, since a skipped block could hold a freeze or a
   * transfer.
   */
  apply(block: CommittedBlock): boolean {
    if (block.number < this.#height) return false;
    if (block.number > this.#height) throw new Error(`block ${block.number} arrived while block ${this.#height} was expected`);
    for (const { key, value } of block.writes) {
      const type = objectTypeOf(key);
      if (type !== undefined && this.#publicTypes.has(type)) this.#public.set(type, key, value);
    }
    for (const w of block.privateWrites ?? []) {
      if (!this.#keepCollection(w.collection)) continue;
      let c = this.#collections.get(w.collection);
      if (!c) this.#collections.set(w.collection, (c = new CollectionStore()));
      const type = w.key === undefined ? undefined : objectTypeOf(w.key);
      if (w.kind === 'put' && w.key !== undefined && w.value !== undefined) {
        if (type !== undefined && this.#privateTypes.has(type)) c.put(type, w.key, w.keyHash, w.value);
        else c.remove(w.keyHash);
      } else {
        c.remove(w.keyHash);
        // An unknown write may be to a kept type; only a delivered key of another type is safe to forget.
        if (w.kind === 'unknown' && (type === undefined || this.#privateTypes.has(type))) c.unknown.add(w.keyHash);
      }
    }
    this.#height = block.number + 1n;
    return true;
  }

  getState(key: string): Uint8Array | undefined {
    return this.#public.get(key);
  }

  /** Keys of the public state under a partial composite key of `type`, in key order. */
  scanState(type: string, prefix: string): { key: string; value: Uint8Array }[] {
    return this.#public.scan(type, prefix);
  }

  getPrivateData(collection: string, key: string): Uint8Array | undefined {
    const c = this.#collections.get(collection);
    if (!c) return undefined;
    if (c.unknown.size > 0 && c.unknown.has(keyHash(key))) throw new ReplicaGapError(collection);
    return c.store.get(key);
  }

  scanPrivateData(collection: string, type: string, prefix: string): { key: string; value: Uint8Array }[] {
    const c = this.#collections.get(collection);
    if (!c) return [];
    // Any key not known might fall under the prefix.
    if (c.unknown.size > 0) throw new ReplicaGapError(collection);
    return c.store.scan(type, prefix);
  }
}
