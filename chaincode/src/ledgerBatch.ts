import { createRequire } from 'node:module';
import type { Context } from 'fabric-contract-api';

/**
 * Batched ledger access: many keys read in one message to the peer, many writes sent in one.
 *
 * Every getState/putState of fabric-shim is a gRPC round trip to the peer, and the shim runs them
 * one at a time per transaction; a bulk registration of 500 attestations made 1,500 of them and
 * spent most of its endorsement time waiting on them. Fabric 3.1 added two peer messages for this
 * (the "peer to chaincode optimisation" RFC): GET_STATE_MULTIPLE reads a list of keys and
 * WRITE_BATCH_STATE applies a list of writes, each key going through the same simulator calls as
 * a single GetState/PutState (same read set, same write set). fabric-chaincode-go uses them;
 * fabric-shim 2.5.8 has no API for them yet, so this module sends them through the shim's own
 * per-transaction message queue (`stub.handler._askPeerAndListen`, an internal of exactly that
 * version, which chaincode/package.json pins; a unit test fails when the version changes). The
 * peer handles both message types whatever its `chaincode.runtimeParams` say (those only advertise
 * them to the shim), so the peer must be Fabric 3.1 or newer; batches stay at 100 records, the
 * smallest size fabric-chaincode-go ever uses.
 *
 * Where the context is not a fabric-shim stub (unit tests), the same calls fall back to plain
 * getState/putState, with the same results.
 */

/** ChaincodeMessage.Type values (fabric-protos peer/chaincode_shim.proto, Fabric >= 3.1). */
const WRITE_BATCH_STATE = 24;
const GET_STATE_MULTIPLE = 25;
/** WriteRecord.Type.PUT_STATE. */
const RECORD_PUT_STATE = 9;
export const BATCH_SIZE = 100;

/** The parts of fabric-shim's ChaincodeStub and handler this module relies on. */
interface ShimMessage {
  setType(type: number): void;
  setPayload(payload: Uint8Array): void;
  setTxid(txid: string): void;
  setChannelId(channelId: string): void;
}
interface ShimHandler {
  _askPeerAndListen(msg: ShimMessage, method: string): Promise<Uint8Array>;
}
interface ShimStub {
  handler?: ShimHandler;
  channel_id?: unknown;
  txId?: unknown;
}

type MessageFactory = () => ShimMessage;
let messageFactory: MessageFactory | undefined;

/** fabric-shim's own ChaincodeMessage class: its gRPC stream accepts only instances of it. */
function newMessage(): ShimMessage {
  if (!messageFactory) {
    const shimRequire = createRequire(require.resolve('fabric-shim'));
    const { peer } = shimRequire('@hyperledger/fabric-protos') as { peer: { ChaincodeMessage: new () => ShimMessage } };
    messageFactory = () => new peer.ChaincodeMessage();
  }
  return messageFactory();
}

function shimOf(ctx: Context): { handler: ShimHandler; channelId: string; txId: string } | undefined {
  const stub = ctx.stub as unknown as ShimStub;
  const handler = stub.handler;
  if (!handler || typeof handler._askPeerAndListen !== 'function') return undefined;
  if (typeof stub.channel_id !== 'string' || typeof stub.txId !== 'string') return undefined;
  return { handler, channelId: stub.channel_id, txId: stub.txId };
}

async function ask(shim: NonNullable<ReturnType<typeof shimOf>>, type: number, payload: Uint8Array, method: string): Promise<Uint8Array> {
  const msg = newMessage();
  msg.setType(type);
  msg.setPayload(payload);
  msg.setTxid(shim.txId);
  msg.setChannelId(shim.channelId);
  return shim.handler._askPeerAndListen(msg, method);
}

/**
 * The committed values of `keys`, in order (an empty array for a key with no value), read in
 * batches of {@link BATCH_SIZE} keys per message.
 */
export async function getStates(ctx: Context, keys: readonly string[]): Promise<Uint8Array[]> {
  const shim = shimOf(ctx);
  const values: Uint8Array[] = [];
  if (!shim) {
    for (const key of keys) values.push(await ctx.stub.getState(key));
    return values;
  }
  for (let start = 0; start < keys.length; start += BATCH_SIZE) {
    const slice = keys.slice(start, start + BATCH_SIZE);
    const response = await ask(shim, GET_STATE_MULTIPLE, encodeGetStateMultiple(slice), 'GetStateMultiple');
    const got = decodeGetStateMultipleResult(response);
    // Fabric 3.1.1 answers a state database error with an empty result rather than an error:
    // treating that as "no value" would be wrong, so anything but one value per key fails.
    if (got.length !== slice.length) throw new Error(`the peer returned ${got.length} values for ${slice.length} keys`);
    values.push(...got);
  }
  return values;
}

/**
 * Writes collected during a transaction and sent together by {@link WriteBatch.flush}. A key
 * written twice keeps its last value (as two putState calls would). Reads never see a
 * transaction's own writes in Fabric, so deferring them changes nothing the contract can observe.
 */
export class WriteBatch {
  readonly #writes = new Map<string, Uint8Array>();

  put(key: string, value: Uint8Array): void {
    this.#writes.set(key, value);
  }

  get size(): number {
    return this.#writes.size;
  }

  async flush(ctx: Context): Promise<void> {
    const writes = [...this.#writes];
    this.#writes.clear();
    const shim = shimOf(ctx);
    if (!shim) {
      for (const [key, value] of writes) await ctx.stub.putState(key, value);
      return;
    }
    for (let start = 0; start < writes.length; start += BATCH_SIZE) {
      await ask(shim, WRITE_BATCH_STATE, encodeWriteBatchState(writes.slice(start, start + BATCH_SIZE)), 'WriteBatchState');
    }
  }
}

// --- protobuf wire format, just the three messages used here -----------------------------------

function varint(value: number, out: number[]): void {
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** A length-delimited field: tag, length, bytes. */
function lengthDelimited(field: number, bytes: Uint8Array): Uint8Array[] {
  const head: number[] = [];
  varint((field << 3) | 2, head);
  varint(bytes.length, head);
  return [Uint8Array.from(head), bytes];
}

/** GetStateMultiple { repeated string keys = 1; string collection = 2; } (public state: no collection). */
export function encodeGetStateMultiple(keys: readonly string[]): Uint8Array {
  return Buffer.concat(keys.flatMap((key) => lengthDelimited(1, Buffer.from(key, 'utf8'))));
}

/** WriteBatchState { repeated WriteRecord rec = 1; }, WriteRecord { key = 1; value = 2; collection = 3; metadata = 4; type = 5 }. */
export function encodeWriteBatchState(writes: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [key, value] of writes) {
    const type: number[] = [];
    varint((5 << 3) | 0, type);
    varint(RECORD_PUT_STATE, type);
    const record = Buffer.concat([
      ...lengthDelimited(1, Buffer.from(key, 'utf8')),
      ...(value.length > 0 ? lengthDelimited(2, value) : []),
      Uint8Array.from(type),
    ]);
    parts.push(...lengthDelimited(1, record));
  }
  return Buffer.concat(parts);
}

/** GetStateMultipleResult { repeated bytes values = 1; }; other fields are skipped. */
export function decodeGetStateMultipleResult(bytes: Uint8Array): Uint8Array[] {
  const values: Uint8Array[] = [];
  let pos = 0;
  const readVarint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated GetStateMultipleResult');
      const byte = bytes[pos++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
      if (scale > 2 ** 56) throw new Error('malformed varint in GetStateMultipleResult');
    }
  };
  while (pos < bytes.length) {
    const tag = readVarint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 2) {
      const length = readVarint();
      if (pos + length > bytes.length) throw new Error('truncated GetStateMultipleResult');
      if (field === 1) values.push(bytes.subarray(pos, pos + length));
      pos += length;
    } else if (wire === 0) {
      readVarint();
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new Error(`unexpected wire type ${wire} in GetStateMultipleResult`);
    }
  }
  if (pos !== bytes.length) throw new Error('truncated GetStateMultipleResult');
  return values;
}
