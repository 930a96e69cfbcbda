import { common, ledger, peer } from '@hyperledger/fabric-protos';

/** One key write in a test transaction; `value` undefined is a delete. */
export interface TestWrite {
  key: string;
  value?: string | Uint8Array;
}

/** One transaction of a test block. */
export interface TestTransaction {
  /** Writes per namespace (chaincode name), one chaincode action per entry of `actions`. */
  actions?: { namespace: string; writes: TestWrite[] }[][];
  /** The committing peer's validation code (default VALID). */
  validationCode?: number;
  /** A config transaction instead of an endorser transaction. */
  config?: boolean;
}

const bytes = (v: string | Uint8Array) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);

/** fabric-protos setters return nothing: builds a message in one expression. */
function make<T>(message: T, set: (m: T) => void): T {
  set(message);
  return message;
}

function encodeAction(sets: { namespace: string; writes: TestWrite[] }[]): peer.TransactionAction {
  const rwset = make(new ledger.rwset.TxReadWriteSet(), (m) => {
    m.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    m.setNsRwsetList(sets.map((set) => make(new ledger.rwset.NsReadWriteSet(), (ns) => {
      ns.setNamespace(set.namespace);
      ns.setRwset(make(new ledger.rwset.kvrwset.KVRWSet(), (kv) => kv.setWritesList(set.writes.map((w) => make(new ledger.rwset.kvrwset.KVWrite(), (kw) => {
        kw.setKey(w.key);
        kw.setIsDelete(w.value === undefined);
        if (w.value !== undefined) kw.setValue(bytes(w.value));
      })))).serializeBinary());
    })));
  });
  const action = make(new peer.ChaincodeAction(), (m) => m.setResults(rwset.serializeBinary()));
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
  });
  const data = tx.config
    ? new common.ConfigEnvelope().serializeBinary()
    : make(new peer.Transaction(), (m) => m.setActionsList((tx.actions ?? []).map(encodeAction))).serializeBinary();
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
