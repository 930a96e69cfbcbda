import { createHash } from 'node:crypto';
import { common, ledger, peer } from '@hyperledger/fabric-protos';

type TimestampMessage = NonNullable<ReturnType<common.ChannelHeader['getTimestamp']>>;
// fabric-protos does not re-export google-protobuf's Timestamp class, which the channel header takes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Timestamp } = require('google-protobuf/google/protobuf/timestamp_pb') as { Timestamp: new () => TimestampMessage };

function timestampOf(ms: number): TimestampMessage {
  return make(new Timestamp(), (t) => {
    t.setSeconds(Math.floor(ms / 1000));
    t.setNanos((ms % 1000) * 1_000_000);
  });
}

/** One key write in a test transaction; `value` undefined is a delete. */
export interface TestWrite {
  key: string;
  value?: string | Uint8Array;
}

/** One private-data write of a test transaction; `value` undefined is a delete. */
export interface TestPrivateWrite extends TestWrite {
  /** Fabric ≥ 2.5 purgePrivateData: `is_purge` in the hashed write (and a delete in the private one). */
  purge?: boolean;
}

/** Private writes of one collection in a transaction's first chaincode action. */
export interface TestCollectionWrites {
  namespace: string;
  collection: string;
  writes: TestPrivateWrite[];
  /** Whether the peer delivers this private write set with the block (default true). */
  delivered?: boolean;
}

/** One transaction of a test block. */
export interface TestTransaction {
  /** Writes per namespace (chaincode name), one chaincode action per entry of `actions`. */
  actions?: { namespace: string; writes: TestWrite[] }[][];
  /** Private writes, hashed into the first action's write set and delivered beside the block. */
  private?: TestCollectionWrites[];
  /** The committing peer's validation code (default VALID). */
  validationCode?: number;
  /** A config transaction instead of an endorser transaction. */
  config?: boolean;
  /** The chaincode event of the first action (default chaincode `kyc`, name `LedgerChanged`). */
  event?: { chaincode?: string; name?: string; payload: string | Uint8Array };
  /** The transaction's timestamp in its channel header. */
  timestamp?: Date;
}

const bytes = (v: string | Uint8Array) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);

/** fabric-protos setters return nothing: builds a message in one expression. */
function make<T>(message: T, set: (m: T) => void): T {
  set(message);
  return message;
}

const sha256 = (v: string | Uint8Array) => createHash('sha256').update(bytes(v)).digest();

function kvWrites(writes: TestWrite[]): ledger.rwset.kvrwset.KVRWSet {
  return make(new ledger.rwset.kvrwset.KVRWSet(), (kv) => kv.setWritesList(writes.map((w) => make(new ledger.rwset.kvrwset.KVWrite(), (kw) => {
    kw.setKey(w.key);
    kw.setIsDelete(w.value === undefined);
    if (w.value !== undefined) kw.setValue(bytes(w.value));
  }))));
}

/** The collection's hashed write set, as the block carries it. */
function hashedCollection(c: TestCollectionWrites): ledger.rwset.CollectionHashedReadWriteSet {
  const hashed = make(new ledger.rwset.kvrwset.HashedRWSet(), (h) => h.setHashedWritesList(c.writes.map((w) => make(new ledger.rwset.kvrwset.KVWriteHash(), (kw) => {
    kw.setKeyHash(sha256(w.key));
    kw.setIsDelete(w.value === undefined);
    kw.setIsPurge(w.purge === true);
    if (w.value !== undefined) kw.setValueHash(sha256(w.value));
  }))));
  return make(new ledger.rwset.CollectionHashedReadWriteSet(), (m) => {
    m.setCollectionName(c.collection);
    m.setHashedRwset(hashed.serializeBinary());
  });
}

function encodeAction(publicSets: { namespace: string; writes: TestWrite[] }[], privateSets: TestCollectionWrites[] = [], event?: TestTransaction['event'], txId = ''): peer.TransactionAction {
  // Private writes go with the first write set of their namespace (or one of their own).
  const sets = [...publicSets];
  for (const c of privateSets) if (!sets.some((s) => s.namespace === c.namespace)) sets.push({ namespace: c.namespace, writes: [] });
  const rwset = make(new ledger.rwset.TxReadWriteSet(), (m) => {
    m.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    m.setNsRwsetList(sets.map((set, i) => make(new ledger.rwset.NsReadWriteSet(), (ns) => {
      ns.setNamespace(set.namespace);
      if (sets.findIndex((s) => s.namespace === set.namespace) === i) ns.setCollectionHashedRwsetList(privateSets.filter((c) => c.namespace === set.namespace).map(hashedCollection));
      ns.setRwset(kvWrites(set.writes).serializeBinary());
    })));
  });
  const action = make(new peer.ChaincodeAction(), (m) => {
    m.setResults(rwset.serializeBinary());
    if (event) {
      m.setEvents(make(new peer.ChaincodeEvent(), (e) => {
        e.setChaincodeId(event.chaincode ?? 'kyc');
        e.setTxId(txId);
        e.setEventName(event.name ?? 'LedgerChanged');
        e.setPayload(bytes(event.payload));
      }).serializeBinary());
    }
  });
  const response = make(new peer.ProposalResponsePayload(), (m) => {
    m.setProposalHash(new Uint8Array(32));
    m.setExtension$(action.serializeBinary());
  });
  const endorsed = make(new peer.ChaincodeEndorsedAction(), (m) => m.setProposalResponsePayload(response.serializeBinary()));
  return make(new peer.TransactionAction(), (m) => m.setPayload(make(new peer.ChaincodeActionPayload(), (p) => p.setAction(endorsed)).serializeBinary()));
}

function encodeEnvelope(tx: TestTransaction, txId: string): Uint8Array {
  const channelHeader = make(new common.ChannelHeader(), (m) => {
    m.setType(tx.config ? common.HeaderType.CONFIG : common.HeaderType.ENDORSER_TRANSACTION);
    m.setChannelId('kyc');
    m.setTxId(txId);
    if (tx.timestamp) {
      m.setTimestamp(timestampOf(tx.timestamp.getTime()));
    }
  });
  const data = tx.config
    ? new common.ConfigEnvelope().serializeBinary()
    : make(new peer.Transaction(), (m) => m.setActionsList((tx.actions ?? (tx.private || tx.event ? [[]] : [])).map((sets, i) => encodeAction(sets, i === 0 ? tx.private : [], i === 0 ? tx.event : undefined, txId)))).serializeBinary();
  const payload = make(new common.Payload(), (m) => {
    m.setHeader(make(new common.Header(), (h) => h.setChannelHeader(channelHeader.serializeBinary())));
    m.setData(data);
  });
  return make(new common.Envelope(), (m) => {
    m.setPayload(payload.serializeBinary());
    m.setSignature(new Uint8Array(64));
  }).serializeBinary();
}

/**
 * A block as a peer delivers it, protobuf-encoded with fabric-protos: each transaction's envelope
 * (channel header, transaction, chaincode action, read-write set) and the validation codes in the
 * TRANSACTIONS_FILTER metadata. `filter: false` leaves the codes out.
 */
export function encodeBlock(number: number, transactions: TestTransaction[], options: { filter?: boolean } = {}): Uint8Array {
  const metadata = Array.from({ length: 5 }, () => new Uint8Array());
  if (options.filter !== false) {
    metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(transactions.map((t) => t.validationCode ?? peer.TxValidationCode.VALID));
  }
  return make(new common.Block(), (b) => {
    b.setHeader(make(new common.BlockHeader(), (h) => {
      h.setNumber(number);
      h.setPreviousHash(new Uint8Array(32));
      h.setDataHash(new Uint8Array(32));
    }));
    b.setData(make(new common.BlockData(), (d) => d.setDataList(transactions.map((t, i) => encodeEnvelope(t, `tx-${number}-${i}`)))));
    b.setMetadata(make(new common.BlockMetadata(), (m) => m.setMetadataList(metadata)));
  }).serializeBinary();
}

/** The writes that turn one world state into another (what a transaction's write set holds). */
export function stateWrites(before: ReadonlyMap<string, Uint8Array>, after: ReadonlyMap<string, Uint8Array>): TestWrite[] {
  const writes: TestWrite[] = [];
  for (const [key, value] of after) {
    const old = before.get(key);
    if (!old || Buffer.compare(Buffer.from(old), Buffer.from(value)) !== 0) writes.push({ key, value });
  }
  for (const key of before.keys()) if (!after.has(key)) writes.push({ key });
  return writes;
}

/** The private write sets the peer delivers for one transaction (purges as deletes). */
function privateWriteSet(sets: TestCollectionWrites[]): ledger.rwset.TxPvtReadWriteSet {
  const namespaces = [...new Set(sets.map((s) => s.namespace))];
  return make(new ledger.rwset.TxPvtReadWriteSet(), (tx) => {
    tx.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    tx.setNsPvtRwsetList(namespaces.map((namespace) => make(new ledger.rwset.NsPvtReadWriteSet(), (ns) => {
      ns.setNamespace(namespace);
      ns.setCollectionPvtRwsetList(sets.filter((s) => s.namespace === namespace).map((c) => make(new ledger.rwset.CollectionPvtReadWriteSet(), (m) => {
        m.setCollectionName(c.collection);
        m.setRwset(kvWrites(c.writes).serializeBinary());
      })));
    })));
  });
}

/**
 * A block with its private data as the peer's DeliverWithPrivateData sends it
 * (`peer.BlockAndPrivateData`): private write sets by transaction index, for the collections
 * whose writes are `delivered`.
 */
export function encodeBlockAndPrivateData(number: number, transactions: TestTransaction[]): Uint8Array {
  const event = new peer.BlockAndPrivateData();
  event.setBlock(common.Block.deserializeBinary(encodeBlock(number, transactions)));
  const map = event.getPrivateDataMapMap();
  transactions.forEach((tx, i) => {
    const delivered = (tx.private ?? []).filter((c) => c.delivered !== false);
    if (delivered.length > 0) map.set(i, privateWriteSet(delivered));
  });
  return event.serializeBinary();
}
