import { createHash } from 'node:crypto';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import type { LedgerChange } from '@kyc-ledger/api';
import { ledgerEventsOf, type TxLedgerEvent } from './ledgerEventsOf';

/** One key written (or deleted, `value` undefined) by a valid transaction. */
export interface KeyWrite {
  key: string;
  value: Uint8Array | undefined;
}

/**
 * One private-data key written, deleted or purged by a valid transaction. The block itself only
 * names the key by its SHA-256 (the hashed write set); the key and value come from the private
 * data the peer delivered with the block, which it does only for collections the client's org is
 * a member of.
 */
export interface PrivateWrite {
  collection: string;
  /** SHA-256 of the key, hex, as the block's hashed write set names it. */
  keyHash: string;
  /**
   * `put` and `delete` as delivered; `purge` (Fabric ≥ 2.5 purgePrivateData) removes the key and
   * its history; `unknown` is a put whose private data the peer did not deliver (missing or
   * already expired), so the key's value is not known.
   */
  kind: 'put' | 'delete' | 'purge' | 'unknown';
  /** From the private write set; absent when the peer delivered none for this write. */
  key?: string;
  /** The value of a `put`. */
  value?: Uint8Array;
}

/** Private write sets delivered with a block: transaction index → its private write set. */
export type PrivateDataMap = ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>;

/** What a committed block changed in one chaincode's world state. */
export interface CommittedBlock {
  number: bigint;
  /** Writes of the valid transactions, in block order (a later write of a key wins). */
  writes: KeyWrite[];
  /**
   * Private writes of the valid transactions to the selected collections, in block order; empty
   * unless private data was asked for.
   */
  privateWrites?: PrivateWrite[];
  /** Endorser transactions the committing peer marked valid / invalid. */
  validTransactions: number;
  invalidTransactions: number;
  /** The `LedgerChanged` events of the chaincode's valid transactions, in block order. */
  events: TxLedgerEvent[];
  /**
   * Changes inside those events that this code does not know (a newer chaincode may add types),
   * left out of `events` rather than stopping the follower; absent when none.
   */
  unknownChanges?: number;
}

export type { LedgerChange, TxLedgerEvent };

const VALID = peer.TxValidationCode.VALID;

/**
 * The public writes that one chaincode's valid transactions made in a block. The peer records each
 * transaction's validation code in the block metadata (TRANSACTIONS_FILTER); an invalid
 * transaction (MVCC conflict, endorsement policy failure, duplicate id, …) is in the block but its
 * writes never reached the world state, so they are skipped, and so are their events. Config
 * transactions carry no chaincode writes. Throws on a block without a filter covering every transaction: applying
 * writes without knowing which are valid could resurrect rejected data.
 */
export function committedWrites(block: common.Block, namespace: string, privateData?: { map: PrivateDataMap; collections: (name: string) => boolean }): CommittedBlock {
  const header = block.getHeader();
  if (!header) throw new Error('block without a header');
  const number = BigInt(header.getNumber());
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  if (!filter || filter.length < envelopes.length) {
    throw new Error(`block ${number} has no transaction validation codes for its ${envelopes.length} transaction(s)`);
  }
  const result: CommittedBlock = { number, writes: [], ...(privateData && { privateWrites: [] }), validTransactions: 0, invalidTransactions: 0, events: [] };
  envelopes.forEach((bytes, i) => {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
    if (filter[i] !== VALID) {
      result.invalidTransactions++;
      return;
    }
    result.validTransactions++;
    for (const action of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
      const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
      if (!endorsed) continue;
      const response = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
      const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
      ledgerEventsOf(chaincodeAction.getEvents_asU8(), namespace, channelHeader, result);
      const results = chaincodeAction.getResults_asU8();
      for (const set of ledger.rwset.TxReadWriteSet.deserializeBinary(results).getNsRwsetList()) {
        // Other namespaces (_lifecycle, other chaincodes) are not this chaincode's state.
        if (set.getNamespace() !== namespace) continue;
        for (const write of ledger.rwset.kvrwset.KVRWSet.deserializeBinary(set.getRwset_asU8()).getWritesList()) {
          result.writes.push({ key: write.getKey(), value: write.getIsDelete() ? undefined : write.getValue_asU8() });
        }
        if (privateData && result.privateWrites) {
          const delivered = privateData.map.get(i);
          for (const hashed of set.getCollectionHashedRwsetList()) {
            const collection = hashed.getCollectionName();
            if (!privateData.collections(collection)) continue;
            result.privateWrites.push(...privateWritesOf(collection, hashed, delivered && privateWriteSet(delivered, namespace, collection)));
          }
        }
      }
    }
  });
  return result;
}

/**
 * {@link committedWrites} of a block delivered with its private data (the peer's
 * DeliverWithPrivateData: private write sets by transaction index, for the collections the
 * client's org is a member of), keeping the private writes of the collections `collections` selects.
 */
export function committedWritesWithPrivateData(event: peer.BlockAndPrivateData, namespace: string, collections: (name: string) => boolean): CommittedBlock {
  const block = event.getBlock();
  if (!block) throw new Error('block and private data event without a block');
  const map = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
  event.getPrivateDataMapMap().forEach((set: ledger.rwset.TxPvtReadWriteSet, index: number) => map.set(Number(index), set));
  return committedWrites(block, namespace, { map, collections });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const keyHash = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** The delivered private writes of one collection, by key hash. */
function privateWriteSet(tx: ledger.rwset.TxPvtReadWriteSet, namespace: string, collection: string): Map<string, ledger.rwset.kvrwset.KVWrite> {
  const byHash = new Map<string, ledger.rwset.kvrwset.KVWrite>();
  for (const ns of tx.getNsPvtRwsetList()) {
    if (ns.getNamespace() !== namespace) continue;
    for (const set of ns.getCollectionPvtRwsetList()) {
      if (set.getCollectionName() !== collection) continue;
      for (const write of ledger.rwset.kvrwset.KVRWSet.deserializeBinary(set.getRwset_asU8()).getWritesList()) byHash.set(keyHash(write.getKey()), write);
    }
  }
  return byHash;
}

/**
 * The hashed write set is what the peer validated and committed, so it decides which keys
 * changed and how; the private write set only supplies keys and values. A purge is marked in the
 * hashed write (`is_purge`); the private write set holds it as a delete, or nothing at all when
 * the peer has already purged its copy, so a purge is applied by key hash.
 */
function privateWritesOf(collection: string, hashed: ledger.rwset.CollectionHashedReadWriteSet, delivered: Map<string, ledger.rwset.kvrwset.KVWrite> | undefined): PrivateWrite[] {
  return ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(hashed.getHashedRwset_asU8()).getHashedWritesList().map((w): PrivateWrite => {
    const hash = hex(w.getKeyHash_asU8());
    const plain = delivered?.get(hash);
    const key = plain && { key: plain.getKey() };
    if (w.getIsPurge()) return { collection, keyHash: hash, kind: 'purge', ...key };
    if (w.getIsDelete()) return { collection, keyHash: hash, kind: 'delete', ...key };
    // A delivered value that does not match the committed hash is as good as none.
    if (!plain || plain.getIsDelete() || hex(createHash('sha256').update(plain.getValue_asU8()).digest()) !== hex(w.getValueHash_asU8())) {
      return { collection, keyHash: hash, kind: 'unknown', ...key };
    }
    return { collection, keyHash: hash, kind: 'put', key: plain.getKey(), value: plain.getValue_asU8() };
  });
}
