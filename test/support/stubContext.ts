import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';

/**
 * An in-memory stand-in for the chaincode context: enough of ChaincodeStub and ClientIdentity for
 * unit tests of contract logic. End-to-end behaviour is tested on a real network instead.
 */
export interface StubContext {
  ctx: Context;
  state: Map<string, Buffer>;
  /** Private data per collection. */
  privateState: Map<string, Map<string, Buffer>>;
  /** Keys purged per collection (purge, unlike delete, leaves no history). */
  purged: { collection: string; key: string }[];
  /** The transient map of the next calls. */
  setTransient(entries: Record<string, string>): void;
  /** Collections the simulated peer is a member of (undefined: all); reads elsewhere fail like Fabric's. */
  setPeerCollections(names: string[] | undefined): void;
  events: { name: string; payload: Buffer }[];
  /** Calls as `mspId`; `admin` gives the certificate the admin node OU. */
  setCaller(mspId: string, admin?: boolean): void;
  setTxTime(iso: string): void;
  /** Starts the next transaction: a new id, and Fabric's write/private-query rules start afresh. */
  nextTx(): void;
  /**
   * Runs one transaction the way a peer does: a failed simulation leaves no writes or events
   * behind (the in-memory maps are restored), then the error is rethrown.
   */
  tx<T>(fn: () => Promise<T>): Promise<T>;
}

export function createStubContext(mspId = 'Org1MSP'): StubContext {
  const state = new Map<string, Buffer>();
  const privateState = new Map<string, Map<string, Buffer>>();
  const purged: { collection: string; key: string }[] = [];
  let transient = new Map<string, Uint8Array>();
  let peerCollections: string[] | undefined;
  const collection = (name: string) => {
    let c = privateState.get(name);
    if (!c) privateState.set(name, (c = new Map()));
    return c;
  };
  const requireMember = (name: string) => {
    if (peerCollections && !peerCollections.includes(name)) throw new Error(`GET_STATE failed: tx creator does not have read access permission on privatedata in chaincodeName:kyc collectionName: ${name}`);
  };
  const events: { name: string; payload: Buffer }[] = [];
  let caller = mspId;
  let admin = false;
  const sep = '\u0000';
  const split = (key: string) => {
    const parts = key.split(sep);
    return { objectType: parts[1] ?? '', attributes: parts.slice(2, -1) };
  };
  const iterate = async (prefix: string, source: Map<string, Buffer> = state) => {
    const matches = [...source.keys()].filter((k) => k.startsWith(prefix)).sort().map((key) => ({ key, value: source.get(key) as Buffer }));
    let i = 0;
    return {
      next: async () => (i < matches.length ? { done: false, value: matches[i++] } : { done: true, value: undefined }),
      close: async () => undefined,
    };
  };
  let txTime = Date.parse('2026-01-01T00:00:00.000Z');
  let txCounter = 1;
  const txId = () => createHash('sha256').update(`tx${txCounter}`).digest('hex');
  // Fabric's transaction simulator (core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go, v3.1.1)
  // refuses a private-data range or partial-key query once the transaction has written anything
  // (public or private), and any write once it has run one; the peer's handler prefixes the
  // message type. Reset by nextTx() and tx().
  const simulation = { wrote: false, queriedPrivate: false };
  const beforeWrite = (type: string) => {
    if (simulation.queriedPrivate) {
      throw new Error(`${type} failed: transaction ID: ${txId()}: txid [${txId()}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed`);
    }
    simulation.wrote = true;
  };
  const beforePrivateQuery = () => {
    if (simulation.wrote) {
      throw new Error(`GET_STATE_BY_RANGE failed: transaction ID: ${txId()}: txid [${txId()}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction`);
    }
    simulation.queriedPrivate = true;
  };
  const stub = {
    getTxID: txId,
    getTxTimestamp: () => ({ seconds: { toString: () => String(Math.floor(txTime / 1000)) }, nanos: (txTime % 1000) * 1_000_000 }),
    createCompositeKey: (type: string, attrs: string[]) => `${sep}${type}${sep}${attrs.map((a) => `${a}${sep}`).join('')}`,
    splitCompositeKey: split,
    getStateByPartialCompositeKey: (type: string, attrs: string[]) => iterate(`${sep}${type}${sep}${attrs.map((a) => `${a}${sep}`).join('')}`),
    getChannelID: () => 'kyc',
    getState: async (key: string) => state.get(key) ?? Buffer.alloc(0),
    putState: async (key: string, value: Uint8Array) => { beforeWrite('PUT_STATE'); state.set(key, Buffer.from(value)); },
    deleteState: async (key: string) => { beforeWrite('DEL_STATE'); state.delete(key); },
    setEvent: (name: string, payload: Uint8Array) => { events.push({ name, payload: Buffer.from(payload) }); },
    getTransient: () => transient,
    getPrivateData: async (name: string, key: string) => { requireMember(name); return collection(name).get(key) ?? Buffer.alloc(0); },
    getPrivateDataHash: async (name: string, key: string) => {
      const value = collection(name).get(key);
      return value ? createHash('sha256').update(value).digest() : Buffer.alloc(0);
    },
    putPrivateData: async (name: string, key: string, value: Uint8Array) => { beforeWrite('PUT_STATE'); collection(name).set(key, Buffer.from(value)); },
    purgePrivateData: async (name: string, key: string) => { beforeWrite('PURGE_PRIVATE_DATA'); collection(name).delete(key); purged.push({ collection: name, key }); },
    getPrivateDataByPartialCompositeKey: async (name: string, type: string, attrs: string[]) => {
      requireMember(name);
      beforePrivateQuery();
      return iterate(`${sep}${type}${sep}${attrs.map((a) => `${a}${sep}`).join('')}`, collection(name));
    },
  };
  const clientIdentity = {
    getMSPID: () => caller,
    getID: () => `x509::/C=US/OU=${admin ? 'admin' : 'client'}/CN=someone@${caller}::/C=US/CN=ca.${caller}`,
  };
  const ctx = { stub, clientIdentity } as unknown as Context;
  return {
    ctx,
    state,
    privateState,
    purged,
    setTransient: (entries) => { transient = new Map(Object.entries(entries).map(([k, v]) => [k, Buffer.from(v)])); },
    setPeerCollections: (names) => { peerCollections = names; },
    events,
    setCaller: (m, isAdmin = false) => { caller = m; admin = isAdmin; },
    setTxTime: (iso) => { txTime = Date.parse(iso); },
    nextTx: () => { txCounter++; simulation.wrote = false; simulation.queriedPrivate = false; },
    tx: async (fn) => {
      simulation.wrote = false;
      simulation.queriedPrivate = false;
      const saved = new Map(state);
      const savedPrivate = new Map([...privateState].map(([k, v]) => [k, new Map(v)]));
      const savedEvents = events.length;
      try {
        return await fn();
      } catch (error) {
        state.clear();
        for (const [k, v] of saved) state.set(k, v);
        privateState.clear();
        for (const [k, v] of savedPrivate) privateState.set(k, v);
        events.length = savedEvents;
        throw error;
      }
    },
  };
}
