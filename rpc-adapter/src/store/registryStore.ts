import { EventEmitter } from 'node:events';
import { AdapterErrorCodes, ChangeTypes, KycError, RegistryOps, type LedgerChange, type RegistryChange, type RegistryChangesPage } from '@kyc-ledger/api';
import type { RegistryChangeSource } from '../registryChangeSource';
import type { CommittedBlock } from '@kyc-ledger/follower';
import type { LevelBatch, LevelDb } from './levelTypes';

/** One address's current state in an asset's registry. */
export interface AddressState {
  authenticated: boolean;
  frozen: boolean;
  /** The sequence number of the last change to this address. */
  seq: number;
}

/** An asset's registry-wide state. */
export interface AssetState {
  frozen: boolean;
  /** The sequence number of the last asset-wide change (0: none). */
  seq: number;
}

/** An address and its state, as {@link RegistryStore.listAddresses} answers. */
export interface ListedAddress extends AddressState {
  address: string;
}

type RegistryChangedChange = Extract<LedgerChange, { type: 'RegistryChanged' }>;

// Separates an asset id from the rest of a key: ledger ids and CAIP-10 addresses never hold NUL,
// and NUL sorts first, so one asset's keys form one contiguous range.
const SEP = '\u0000';
const END = '\u0001';
const seqKey = (asset: string, seq: number) => `${asset}${SEP}${String(seq).padStart(16, '0')}`;
const addressKey = (asset: string, address: string) => `${asset}${SEP}${address}`;

// A userland option on the head put: abstract-level passes it through to the root database's
// `write` event, which is how the store learns that a batch it only added to was committed.
const HEAD_MARK = 'kycRegistryHead';

/**
 * The adapter's registry: every asset's sequenced changes, each address's current state, the
 * asset's frozen flag and its issuer org, in an abstract-level database. A ledger follower feeds it
 * with {@link applyBlock}, whose effects land in the follower's batch together with its checkpoint.
 * Re-applying a block is harmless: a change whose sequence the store already has is skipped, and an
 * asset's issuer never changes.
 */
export class RegistryStore implements RegistryChangeSource {
  private readonly changeLog;
  private readonly heads;
  private readonly addresses;
  private readonly assets;
  private readonly issuers;
  private readonly events = new EventEmitter();

  constructor(private readonly db: LevelDb) {
    this.changeLog = db.sublevel<string, RegistryChange>('registry-changes', { valueEncoding: 'json' });
    this.heads = db.sublevel<string, number>('registry-heads', { valueEncoding: 'json' });
    this.addresses = db.sublevel<string, AddressState>('registry-addresses', { valueEncoding: 'json' });
    this.assets = db.sublevel<string, AssetState>('registry-assets', { valueEncoding: 'json' });
    this.issuers = db.sublevel<string, string>('registry-issuers', { valueEncoding: 'utf8' });
    this.events.setMaxListeners(0);
    // On the root database: a batch of the root or of any sublevel is reported there (and only
    // there when the root wrote it). Attached before the follower creates its first batch
    // (abstract-level only reports batches created after a listener is added), hence here.
    const root = (db as { db?: LevelDb }).db ?? db;
    root.on('write', (ops: Array<Record<string, unknown>>) => {
      for (const op of ops) {
        const mark = op[HEAD_MARK] as { asset: string; head: number } | undefined;
        if (mark) this.events.emit('change', mark.asset, mark.head);
      }
    });
  }

  /**
   * Adds the registry effects of `block` to `batch` (the follower writes it with its checkpoint).
   * Reads `AssetCreated` (the asset's issuer) and `RegistryChanged` (a sequenced change); every
   * other change type is not this store's business. Throws SEQUENCE_GAP, adding nothing, when a
   * change is not its asset's next one (the follower then retries; it never skips a block).
   */
  async applyBlock(block: CommittedBlock, batch: LevelBatch): Promise<void> {
    const pending = new PendingState(this);
    for (const event of block.events) {
      for (const change of event.changes) {
        if (change.type === ChangeTypes.ASSET_CREATED) {
          pending.issuers.set(change.id, change.issuer);
        } else if (change.type === ChangeTypes.REGISTRY_CHANGED) {
          await pending.apply(change, event.txId, event.timestamp, block.number);
        }
      }
    }
    for (const [asset, issuer] of pending.issuers) batch.put(asset, issuer, { sublevel: this.issuers });
    for (const change of pending.changes) batch.put(seqKey(change.asset, change.seq), change, { sublevel: this.changeLog });
    for (const [key, state] of pending.addresses) batch.put(key, state, { sublevel: this.addresses });
    for (const [asset, state] of pending.assets) batch.put(asset, state, { sublevel: this.assets });
    for (const [asset, head] of pending.heads) {
      // The options type does not declare userland options, which abstract-level passes on.
      const options = { sublevel: this.heads, [HEAD_MARK]: { asset, head } };
      batch.put(asset, head, options);
    }
  }

  /** Changes of `asset` from `fromSeq` on (at most `limit`, in order) and the asset's head. */
  async changes(asset: string, fromSeq: number, limit: number): Promise<RegistryChangesPage> {
    const head = await this.head(asset);
    const changes = await this.changeLog.values({ gte: seqKey(asset, Math.max(1, fromSeq)), lt: `${asset}${END}`, limit }).all();
    return { asset, head, changes };
  }

  /** Calls `listener` after new changes of an asset were committed; returns a function that unsubscribes. */
  onChange(listener: (asset: string, head: number) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  /** The newest sequence number of `asset` (0: none). */
  async head(asset: string): Promise<number> {
    return (await this.heads.get(asset)) ?? 0;
  }

  /** The org (MSP id) that created `asset`, or undefined when the store has not seen it created. */
  async issuerOf(asset: string): Promise<string | undefined> {
    return this.issuers.get(asset);
  }

  /** The current state of `address` in `asset`'s registry, or undefined when no change named it. */
  async address(asset: string, address: string): Promise<AddressState | undefined> {
    return this.addresses.get(addressKey(asset, address));
  }

  /** The asset-wide state (not frozen, seq 0 when no asset-wide change happened). */
  async assetState(asset: string): Promise<AssetState> {
    return (await this.assets.get(asset)) ?? { frozen: false, seq: 0 };
  }

  /**
   * Authenticated addresses of `asset` after `after` (exclusive; '' from the start), in address
   * order, at most `limit`, and whether more may follow.
   */
  async listAddresses(asset: string, after: string, limit: number): Promise<{ addresses: ListedAddress[]; more: boolean }> {
    const addresses: ListedAddress[] = [];
    const prefix = `${asset}${SEP}`;
    const range = after === '' ? { gte: prefix, lt: `${asset}${END}` } : { gt: addressKey(asset, after), lt: `${asset}${END}` };
    for await (const [key, state] of this.addresses.iterator(range)) {
      if (!state.authenticated) continue;
      if (addresses.length === limit) return { addresses, more: true };
      addresses.push({ address: key.slice(prefix.length), ...state });
    }
    return { addresses, more: false };
  }
}

/** A block's effects before they reach the batch: later changes in the block see earlier ones. */
class PendingState {
  readonly issuers = new Map<string, string>();
  readonly changes: RegistryChange[] = [];
  readonly addresses = new Map<string, AddressState>();
  readonly assets = new Map<string, AssetState>();
  readonly heads = new Map<string, number>();

  constructor(private readonly store: RegistryStore) {}

  async apply(change: RegistryChangedChange, txId: string, at: string, blockNumber: bigint): Promise<void> {
    const { asset, seq, op, address } = change;
    const head = this.heads.get(asset) ?? (await this.store.head(asset));
    if (seq <= head) return; // already stored: a re-applied block
    if (seq !== head + 1) {
      throw new KycError(AdapterErrorCodes.SEQUENCE_GAP, `asset ${asset}: change ${seq} follows ${head} (block ${blockNumber})`, {
        details: { asset, seq, head, block: blockNumber.toString() },
      });
    }
    this.heads.set(asset, seq);
    this.changes.push({ asset, seq, op, address, txId, at });
    if (op === RegistryOps.FREEZE_ASSET || op === RegistryOps.UNFREEZE_ASSET) {
      this.assets.set(asset, { frozen: op === RegistryOps.FREEZE_ASSET, seq });
      return;
    }
    const key = addressKey(asset, address);
    const current = this.addresses.get(key) ?? (await this.store.address(asset, address)) ?? { authenticated: false, frozen: false, seq: 0 };
    // Each op sets one flag to an absolute value, so replaying a change a client already has
    // (e.g. one seen both in a listed page and in the stream) changes nothing.
    const next: AddressState = { ...current, seq };
    if (op === RegistryOps.AUTHENTICATE) next.authenticated = true;
    else if (op === RegistryOps.REVOKE) next.authenticated = false;
    else if (op === RegistryOps.FREEZE) next.frozen = true;
    else if (op === RegistryOps.UNFREEZE) next.frozen = false;
    this.addresses.set(key, next);
  }
}
