import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { createTestCa, issueTestIdentity, type TestIdentity } from './bankPki';

/**
 * An in-memory stand-in for the chaincode context: enough of ChaincodeStub and ClientIdentity for
 * unit tests of contract logic. End-to-end behaviour is tested on a real network instead.
 *
 * It keeps Fabric's transaction rules, which contracts must not get wrong:
 * - reads see the state as it was before the transaction: writes (public, private, deletes,
 *   purges) are buffered and applied only when the transaction succeeds;
 * - only the last `setEvent` of a transaction is kept.
 * A transaction is either `tx(fn)` (a failure applies nothing, like a peer) or a direct call
 * `contract.fn(stub.ctx, …)`: each evaluation of `stub.ctx` outside `tx` ends the previous direct
 * call's transaction and starts a new one with a fresh Context (as fabric-shim builds one per
 * transaction), and so does any other use of this object (`state`, `events`, `setCaller`, …). A
 * direct call that fails still applies what it wrote before failing; use `tx` to check rollback.
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
  /** The event of each committed transaction that set one (the last it set). */
  events: { name: string; payload: Buffer }[];
  /**
   * Calls as `mspId`; `admin` gives the certificate the admin node OU. `certificatePem` replaces
   * the certificate the caller presents (its subject is then all the chaincode can go by).
   */
  setCaller(mspId: string, admin?: boolean, certificatePem?: string): void;
  /** The MSP of the simulated endorsing peer (`stub.getMspID()`); by default the caller's own. */
  setPeerMsp(mspId: string | undefined): void;
  setTxTime(iso: string): void;
  nextTx(): void;
  /**
   * Runs one transaction the way a peer does: reads see the state before it, its writes and its
   * last event are applied when `fn` succeeds; a failed simulation leaves nothing behind and the
   * error is rethrown.
   */
  tx<T>(fn: () => Promise<T>): Promise<T>;
}

/** One transaction's effects, applied only when it succeeds. `undefined` deletes the key. */
interface PendingTx {
  writes: Map<string, Buffer | undefined>;
  privateWrites: Map<string, Map<string, Buffer | undefined>>;
  purges: { collection: string; key: string }[];
  event?: { name: string; payload: Buffer };
  /** Fabric's simulator refuses private-data range queries after a write, and writes after one. */
  wrote?: boolean;
  queriedPrivate?: boolean;
}

export function createStubContext(mspId = 'Org1MSP'): StubContext {
  const state = new Map<string, Buffer>();
  const privateState = new Map<string, Map<string, Buffer>>();
  const purged: { collection: string; key: string }[] = [];
  const events: { name: string; payload: Buffer }[] = [];
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

  let pending: PendingTx | undefined;
  let inTx = false;
  const current = (): PendingTx => (pending ??= { writes: new Map(), privateWrites: new Map(), purges: [] });
  const pendingPrivate = (name: string) => {
    const writes = current().privateWrites;
    let c = writes.get(name);
    if (!c) writes.set(name, (c = new Map()));
    return c;
  };
  const txId = () => createHash('sha256').update(`tx${txCounter}`).digest('hex');
  // The texts of Fabric 3.1's tx simulator (core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go).
  const beforeWrite = (type: string) => {
    const tx = current();
    if (tx.queriedPrivate) {
      throw new Error(`${type} failed: transaction ID: ${txId()}: txid [${txId()}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed`);
    }
    tx.wrote = true;
  };
  const beforePrivateQuery = () => {
    const tx = current();
    if (tx.wrote) {
      throw new Error(`GET_STATE_BY_RANGE failed: transaction ID: ${txId()}: txid [${txId()}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction`);
    }
    tx.queriedPrivate = true;
  };
  const apply = <V>(target: Map<string, V>, writes: Map<string, V | undefined>) => {
    for (const [key, value] of writes) {
      if (value === undefined) target.delete(key);
      else target.set(key, value);
    }
  };
  const commit = () => {
    const tx = pending;
    pending = undefined;
    if (!tx) return;
    apply(state, tx.writes);
    for (const [name, writes] of tx.privateWrites) apply(collection(name), writes);
    for (const p of tx.purges) {
      collection(p.collection).delete(p.key);
      purged.push(p);
    }
    if (tx.event) events.push(tx.event);
  };
  /** Ends a direct call's transaction; inside `tx` the transaction goes on. */
  const boundary = () => {
    if (!inTx) commit();
  };

  let caller = mspId;
  let admin = false;
  let certificate: string | undefined;
  let peerMsp: string | undefined;
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
  const stub = {
    getTxID: txId,
    getTxTimestamp: () => ({ seconds: { toString: () => String(Math.floor(txTime / 1000)) }, nanos: (txTime % 1000) * 1_000_000 }),
    createCompositeKey: (type: string, attrs: string[]) => `${sep}${type}${sep}${attrs.map((a) => `${a}${sep}`).join('')}`,
    splitCompositeKey: split,
    getStateByPartialCompositeKey: (type: string, attrs: string[]) => iterate(`${sep}${type}${sep}${attrs.map((a) => `${a}${sep}`).join('')}`),
    getChannelID: () => 'kyc',
    getMspID: () => peerMsp ?? caller,
    getState: async (key: string) => state.get(key) ?? Buffer.alloc(0),
    putState: async (key: string, value: Uint8Array) => { beforeWrite('PUT_STATE'); current().writes.set(key, Buffer.from(value)); },
    deleteState: async (key: string) => { beforeWrite('DEL_STATE'); current().writes.set(key, undefined); },
    setEvent: (name: string, payload: Uint8Array) => { current().event = { name, payload: Buffer.from(payload) }; },
    getTransient: () => transient,
    getPrivateData: async (name: string, key: string) => { requireMember(name); return collection(name).get(key) ?? Buffer.alloc(0); },
    getPrivateDataHash: async (name: string, key: string) => {
      const value = collection(name).get(key);
      return value ? createHash('sha256').update(value).digest() : Buffer.alloc(0);
    },
    putPrivateData: async (name: string, key: string, value: Uint8Array) => { beforeWrite('PUT_STATE'); pendingPrivate(name).set(key, Buffer.from(value)); },
    purgePrivateData: async (name: string, key: string) => { beforeWrite('PURGE_PRIVATE_DATA'); pendingPrivate(name).set(key, undefined); current().purges.push({ collection: name, key }); },
    getPrivateDataByPartialCompositeKey: async (name: string, type: string, attrs: string[]) => {
      requireMember(name);
      beforePrivateQuery();
      return iterate(`${sep}${type}${sep}${attrs.map((a) => `${a}${sep}`).join('')}`, collection(name));
    },
  };
  const clientIdentity = {
    getMSPID: () => caller,
    getID: () => `x509::/C=US/OU=${admin ? 'admin' : 'client'}/CN=someone@${caller}::/C=US/CN=ca.${caller}`,
    getIDBytes: () => Buffer.from(certificate ?? callerCertificate(caller, admin)),
  };
  const newContext = () => ({ stub, clientIdentity }) as unknown as Context;
  let ctx = newContext();
  return {
    get ctx() {
      if (!inTx) {
        commit();
        ctx = newContext();
      }
      return ctx;
    },
    get state() { boundary(); return state; },
    get privateState() { boundary(); return privateState; },
    get purged() { boundary(); return purged; },
    get events() { boundary(); return events; },
    setTransient: (entries) => { boundary(); transient = new Map(Object.entries(entries).map(([k, v]) => [k, Buffer.from(v)])); },
    setPeerCollections: (names) => { boundary(); peerCollections = names; },
    setCaller: (m, isAdmin = false, certificatePem) => { boundary(); caller = m; admin = isAdmin; certificate = certificatePem; },
    setPeerMsp: (m) => { boundary(); peerMsp = m; },
    setTxTime: (iso) => { boundary(); txTime = Date.parse(iso); },
    nextTx: () => { boundary(); txCounter++; },
    tx: async (fn) => {
      if (inTx) throw new Error('stub: tx() does not nest; a Fabric transaction is one simulation');
      commit();
      inTx = true;
      ctx = newContext();
      try {
        const result = await fn();
        commit();
        return result;
      } catch (error) {
        pending = undefined;
        throw error;
      } finally {
        inTx = false;
      }
    },
  };
}

let testCa: TestIdentity | undefined;
const callerCertificates = new Map<string, string>();

/** A real certificate with the node OU a cryptogen-made identity has, made once per caller kind. */
function callerCertificate(mspId: string, admin: boolean): string {
  const key = `${mspId}/${admin}`;
  let pem = callerCertificates.get(key);
  if (!pem) {
    testCa ??= createTestCa('stub.example.com', 3650);
    pem = issueTestIdentity(testCa, `someone@${mspId}`, { ou: admin ? 'admin' : 'client', days: 3650 }).certificatePem;
    callerCertificates.set(key, pem);
  }
  return pem;
}
