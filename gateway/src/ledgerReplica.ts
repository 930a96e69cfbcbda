import { LRUCache } from 'lru-cache';
import { ObjectTypes, splitCompositeKey, type Accreditation, type Attestation, type Member } from '@kyc-ledger/api';
import type { CommittedBlock, FollowerBatch, FollowerDb, FollowerSublevel, LedgerFollowerSink } from '@kyc-ledger/follower';
import { evaluateStatus, type AttestationStatus } from '@kyc-ledger/rules';
import { GatewayError, GatewayErrorCodes } from './gatewayError';
import { deepFreeze } from './deepFreeze';

const ATTESTATION = ObjectTypes.ATTESTATION;
const ACCREDITATION = ObjectTypes.ACCREDITATION;
const MEMBER = ObjectTypes.MEMBER;
const ID = /^[0-9a-f]{64}$/;
const KEPT = [ATTESTATION, ACCREDITATION, MEMBER] as const;
type KeptType = (typeof KEPT)[number];

/** The object type and single attribute of a composite key, or undefined for any other key. */
function splitKey(key: string): { type: string; attribute: string } | undefined {
  const split = splitCompositeKey(key);
  // Every type the replica keeps is keyed by exactly one attribute.
  if (split?.attributes.length !== 1) return undefined;
  return { type: split.objectType, attribute: split.attributes[0] as string };
}

const decoder = new TextDecoder('utf-8', { fatal: true });
/** Parsed attestations kept in memory at most by default (about 3 KB of heap each). */
const DEFAULT_PARSED_LIMIT = 5_000;
/** Accreditations and members are one per org: all of them fit, the bound is a safety net. */
const ORG_LIMIT = 1_000;
const COUNTS = 'counts';

export interface LedgerReplicaOptions {
  /** Parsed attestations kept in memory at most (the most recently read). */
  cacheSize?: number;
}

export type ReplicaCounts = { attestations: number; accreditations: number; members: number };

/**
 * The part of the chaincode's world state that verification reads: attestations, accreditations
 * and members, kept in the follower's embedded store (abstract-level) and built by applying
 * committed blocks in order, so memory does not grow with the number of attestations. Receipts,
 * proposals and indexes are never kept. Values are stored as the canonical JSON text the chaincode
 * wrote. The most recently read values are also kept parsed and deeply frozen in bounded LRU
 * caches (a verification reads one attestation and its certifier's accreditation per request, and
 * parsing or a store read was a measurable part of each); a block's commit drops the cached copies
 * of what it wrote.
 *
 * It is a {@link LedgerFollowerSink}: its height is the follower's checkpoint, written in the same
 * batch as a block's effects. Re-applying a block writes the same values again, so a rewound
 * checkpoint is harmless; the counts are derived from what the store holds, so they stay right too.
 */
export class LedgerReplica implements LedgerFollowerSink<CommittedBlock> {
  readonly #stores: Record<KeptType, FollowerSublevel>;
  readonly #meta: FollowerSublevel;
  readonly #attestations: LRUCache<string, Attestation>;
  readonly #accreditations = new LRUCache<string, { value: Accreditation | undefined }>({ max: ORG_LIMIT });
  readonly #members = new LRUCache<string, { value: Member | undefined }>({ max: ORG_LIMIT });
  #counts: ReplicaCounts | undefined;
  #loading: Promise<void> | undefined;
  #pendingCounts: ReplicaCounts | undefined;
  #pendingKeys: { type: KeptType; attribute: string }[] = [];
  // Bumped by every commit: a store read that started before it may hold an older value, which
  // must not be cached.
  #generation = 0;

  constructor(db: FollowerDb, options: LedgerReplicaOptions = {}) {
    const sub = (name: string) => db.sublevel<string, string>(name, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    this.#stores = { [ATTESTATION]: sub('attestations'), [ACCREDITATION]: sub('accreditations'), [MEMBER]: sub('members') } as Record<KeptType, FollowerSublevel>;
    this.#meta = sub('replica-meta');
    this.#attestations = new LRUCache<string, Attestation>({ max: options.cacheSize ?? DEFAULT_PARSED_LIMIT });
  }

  /** Numbers of attestations, accreditations and members held (known once the store was read). */
  get counts(): ReplicaCounts {
    return { ...(this.#counts ?? { attestations: 0, accreditations: 0, members: 0 }) };
  }

  /** Parsed attestations held in memory (bounded by the cache size). */
  get cachedAttestations(): number {
    return this.#attestations.size;
  }

  /** Reads the counts from the store (once; later they follow each commit). */
  async loadCounts(): Promise<ReplicaCounts> {
    // One read, shared by every caller, so a late answer can never overwrite newer counts.
    this.#loading ??= this.#meta.get(COUNTS).then((stored) => {
      this.#counts ??= stored === undefined ? { attestations: 0, accreditations: 0, members: 0 } : (JSON.parse(stored) as ReplicaCounts);
    });
    await this.#loading;
    return this.counts;
  }

  /**
   * Adds one block's writes to `batch`. Every value is decoded before anything is added, so a bad
   * value throws and the follower writes nothing of the block.
   */
  async applyBlock(block: CommittedBlock, batch: FollowerBatch): Promise<void> {
    const counts = await this.loadCounts();
    // The last write of a key in the block wins.
    const latest = new Map<string, { type: KeptType; attribute: string; text: string | undefined }>();
    for (const { key, value } of block.writes) {
      const parts = splitKey(key);
      if (!parts || !(KEPT as readonly string[]).includes(parts.type)) continue;
      const type = parts.type as KeptType;
      const text = value === undefined ? undefined : decoder.decode(value);
      // Accreditations and members are parsed on read; a broken one must stop the block here.
      if (text !== undefined && type !== ATTESTATION) JSON.parse(text);
      latest.set(`${type}\u0000${parts.attribute}`, { type, attribute: parts.attribute, text });
    }
    if (latest.size === 0) {
      this.#pendingCounts = undefined;
      this.#pendingKeys = [];
      return;
    }
    const writes = [...latest.values()];
    const next = { ...counts };
    const field = { [ATTESTATION]: 'attestations', [ACCREDITATION]: 'accreditations', [MEMBER]: 'members' } as const;
    for (const type of KEPT) {
      const ofType = writes.filter((w) => w.type === type);
      if (ofType.length === 0) continue;
      const store = this.#stores[type];
      const existing = await store.getMany(ofType.map((w) => w.attribute));
      ofType.forEach((w, i) => {
        const had = existing[i] !== undefined;
        if (w.text === undefined) {
          if (had) next[field[type]]--;
          batch.del(w.attribute, { sublevel: store });
        } else {
          if (!had) next[field[type]]++;
          batch.put(w.attribute, w.text, { sublevel: store });
        }
      });
    }
    batch.put(COUNTS, JSON.stringify(next), { sublevel: this.#meta });
    this.#pendingCounts = next;
    this.#pendingKeys = writes;
  }

  /** The block's batch is written: drop cached copies of what it changed. */
  committed(): void {
    this.#generation++;
    for (const { type, attribute } of this.#pendingKeys) {
      if (type === ATTESTATION) this.#attestations.delete(attribute);
      else if (type === ACCREDITATION) this.#accreditations.delete(attribute);
      else this.#members.delete(attribute);
    }
    this.#pendingKeys = [];
    if (this.#pendingCounts) this.#counts = this.#pendingCounts;
    this.#pendingCounts = undefined;
  }

  /**
   * What `attestation:status` answers at the replica's height, with the chaincode's own
   * `evaluateStatus`; for an unknown or malformed id the same coded error the chaincode throws.
   */
  async status(attestationId: string, at: string): Promise<AttestationStatus> {
    if (!ID.test(attestationId)) {
      throw new GatewayError(GatewayErrorCodes.INVALID_ARGUMENT, 'invalid attestation id', { details: { problems: ['id: must be 64 lower-case hex digits'] } });
    }
    // The hot path: both values cached, no store read and no further promise.
    const hot = this.#attestations.get(attestationId);
    const accreditation = hot && this.#accreditations.get(hot.certifier);
    if (hot && accreditation) return evaluateStatus(hot, accreditation.value, at);
    const attestation = hot ?? (await this.#attestation(attestationId));
    return evaluateStatus(attestation, await this.#cached(this.#accreditations, ACCREDITATION, attestation.certifier, (v) => deepFreeze(JSON.parse(v) as Accreditation)), at);
  }

  /** The attestation, parsed and frozen; throws the chaincode's NOT_FOUND for an unknown id. */
  async #attestation(id: string): Promise<Attestation> {
    const known = this.#attestations.get(id);
    if (known) return known;
    const generation = this.#generation;
    const text = await this.#stores[ATTESTATION].get(id);
    if (text === undefined) throw new GatewayError(GatewayErrorCodes.NOT_FOUND, `no attestation ${id}`, { details: { id } });
    const attestation = deepFreeze(JSON.parse(text) as Attestation);
    if (generation === this.#generation) this.#attestations.set(id, attestation);
    return attestation;
  }

  /** A small per-org value through its cache (absence cached too: most reads find the same orgs). */
  async #cached<T>(cache: LRUCache<string, { value: T | undefined }>, type: KeptType, key: string, parse: (text: string) => T): Promise<T | undefined> {
    const known = cache.get(key);
    if (known) return known.value;
    const generation = this.#generation;
    const text = await this.#stores[type].get(key);
    const value = text === undefined ? undefined : parse(text);
    if (generation === this.#generation) cache.set(key, { value });
    return value;
  }

  member(mspId: string): Promise<Member | undefined> {
    return this.#cached(this.#members, MEMBER, mspId, (v) => JSON.parse(v) as Member);
  }
}
