import type { Context } from 'fabric-contract-api';

/**
 * An in-memory stand-in for the chaincode context: enough of ChaincodeStub and ClientIdentity for
 * unit tests of contract logic. End-to-end behaviour is tested on a real network instead.
 */
export interface StubContext {
  ctx: Context;
  state: Map<string, Buffer>;
  events: { name: string; payload: Buffer }[];
  setCaller(mspId: string): void;
  setTxTime(iso: string): void;
  nextTx(): void;
}

export function createStubContext(mspId = 'Org1MSP'): StubContext {
  const state = new Map<string, Buffer>();
  const events: { name: string; payload: Buffer }[] = [];
  let caller = mspId;
  let txTime = Date.parse('2026-01-01T00:00:00.000Z');
  let txCounter = 1;
  const stub = {
    getTxID: () => `tx${txCounter}`,
    getTxTimestamp: () => ({ seconds: { toString: () => String(Math.floor(txTime / 1000)) }, nanos: (txTime % 1000) * 1_000_000 }),
    createCompositeKey: (type: string, attrs: string[]) => `\u0000${type}\u0000${attrs.map((a) => `${a}\u0000`).join('')}`,
    getState: async (key: string) => state.get(key) ?? Buffer.alloc(0),
    putState: async (key: string, value: Uint8Array) => { state.set(key, Buffer.from(value)); },
    deleteState: async (key: string) => { state.delete(key); },
    setEvent: (name: string, payload: Uint8Array) => { events.push({ name, payload: Buffer.from(payload) }); },
  };
  const clientIdentity = { getMSPID: () => caller };
  const ctx = { stub, clientIdentity } as unknown as Context;
  return {
    ctx,
    state,
    events,
    setCaller: (m) => { caller = m; },
    setTxTime: (iso) => { txTime = Date.parse(iso); },
    nextTx: () => { txCounter++; },
  };
}
