import { createRequire } from 'node:module';
import { expect } from 'chai';
import { peer } from '@hyperledger/fabric-protos';
import { AttestationContract, RegistryContract } from '@kyc-ledger/chaincode';
import { BATCH_SIZE, getStates, WriteBatch } from '@kyc-ledger/chaincode/dist/ledgerBatch';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';

const NETWORK = 'kyc-ledger/kyc';
const TX_ID = 'ab'.repeat(32);

interface Sent {
  type: number;
  txid: string;
  channel: string;
  method: string;
  payload: Uint8Array;
}

/**
 * Turns the in-memory stub into what fabric-shim hands a contract: a stub with a `handler` whose
 * message queue answers GET_STATE_MULTIPLE and WRITE_BATCH_STATE the way Fabric 3.1's peer does
 * (decoded here with the current fabric-protos, not with the chaincode's own encoder).
 */
function withPeerMessages(stub: StubContext): { sent: Sent[]; singleCalls: () => number } {
  const sent: Sent[] = [];
  const raw = stub.ctx.stub as unknown as Record<string, unknown>;
  let single = 0;
  const { getState, putState } = raw as { getState: (k: string) => Promise<Uint8Array>; putState: (k: string, v: Uint8Array) => Promise<void> };
  raw.getState = (key: string) => { single++; return getState(key); };
  raw.putState = (key: string, value: Uint8Array) => { single++; return putState(key, value); };
  raw.channel_id = 'kyc';
  raw.txId = TX_ID;
  raw.handler = {
    _askPeerAndListen: async (msg: { serializeBinary(): Uint8Array }, method: string) => {
      const decoded = peer.ChaincodeMessage.deserializeBinary(msg.serializeBinary());
      const payload = decoded.getPayload_asU8();
      sent.push({ type: decoded.getType(), txid: decoded.getTxid(), channel: decoded.getChannelId(), method, payload });
      if (decoded.getType() === peer.ChaincodeMessage.Type.GET_STATE_MULTIPLE) {
        const request = peer.GetStateMultiple.deserializeBinary(payload);
        expect(request.getCollection()).to.equal('');
        const result = new peer.GetStateMultipleResult();
        result.setValuesList(await Promise.all(request.getKeysList().map((key) => getState(key))));
        return Buffer.from(result.serializeBinary());
      }
      if (decoded.getType() === peer.ChaincodeMessage.Type.WRITE_BATCH_STATE) {
        for (const record of peer.WriteBatchState.deserializeBinary(payload).getRecList()) {
          expect(record.getType()).to.equal(peer.WriteRecord.Type.PUT_STATE);
          expect(record.getCollection()).to.equal('');
          await putState(record.getKey(), record.getValue_asU8());
        }
        return Buffer.alloc(0);
      }
      throw new Error(`unexpected message type ${decoded.getType()}`);
    },
  };
  return { sent, singleCalls: () => single };
}

describe('batched ledger access (GET_STATE_MULTIPLE / WRITE_BATCH_STATE)', function () {
  let stub: StubContext;

  beforeEach(function () {
    stub = createStubContext();
  });

  it('reads many keys per message, in order, with the transaction id and channel; missing keys read as empty', async function () {
    const { sent, singleCalls } = withPeerMessages(stub);
    const keys = Array.from({ length: 2 * BATCH_SIZE + 7 }, (_, i) => `\u0000k\u0000${i}\u0000`);
    keys.forEach((key, i) => i % 3 !== 0 && stub.state.set(key, Buffer.from(`v${i}`)));
    const values = await getStates(stub.ctx, keys);
    expect(values.map((v) => Buffer.from(v).toString())).to.deep.equal(keys.map((_, i) => (i % 3 !== 0 ? `v${i}` : '')));
    expect(sent.map((m) => [m.type, m.txid, m.channel])).to.deep.equal(Array(3).fill([peer.ChaincodeMessage.Type.GET_STATE_MULTIPLE, TX_ID, 'kyc']));
    expect(sent.map((m) => peer.GetStateMultiple.deserializeBinary(m.payload).getKeysList().length)).to.deep.equal([BATCH_SIZE, BATCH_SIZE, 7]);
    expect(singleCalls()).to.equal(0);
    expect(await getStates(stub.ctx, [])).to.deep.equal([]);
    expect(sent).to.have.length(3);
  });

  it('fails rather than reading "no value" when the peer answers with fewer values than keys', async function () {
    withPeerMessages(stub);
    (stub.ctx.stub as unknown as { handler: unknown }).handler = {
      _askPeerAndListen: async () => Buffer.from(new peer.GetStateMultipleResult().serializeBinary()),
    };
    const error = await getStates(stub.ctx, ['a', 'b']).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).to.match(/0 values for 2 keys/);
  });

  it('sends writes in batches, the last value of a key winning; nothing is sent before flush', async function () {
    const { sent, singleCalls } = withPeerMessages(stub);
    const batch = new WriteBatch();
    for (let i = 0; i < BATCH_SIZE + 20; i++) batch.put(`key${i}`, Buffer.from(`first${i}`));
    batch.put('key3', Buffer.from('second'));
    batch.put('marker', Buffer.from([0]));
    expect(sent).to.have.length(0);
    await batch.flush(stub.ctx);
    expect(sent.map((m) => m.type)).to.deep.equal([peer.ChaincodeMessage.Type.WRITE_BATCH_STATE, peer.ChaincodeMessage.Type.WRITE_BATCH_STATE]);
    expect(sent.map((m) => peer.WriteBatchState.deserializeBinary(m.payload).getRecList().length)).to.deep.equal([BATCH_SIZE, 21]);
    expect(stub.state.get('key3')?.toString()).to.equal('second');
    expect(stub.state.get('key119')?.toString()).to.equal('first119');
    expect([...(stub.state.get('marker') ?? [])]).to.deep.equal([0]);
    expect(singleCalls()).to.equal(0);
    await batch.flush(stub.ctx);
    expect(sent).to.have.length(2);
  });

  it('relies on internals the installed fabric-shim has: re-check them before changing its version', function () {
    // ledgerBatch uses stub.handler._askPeerAndListen, stub.channel_id and stub.txId of fabric-shim 2.5.8.
    const shimRequire = createRequire(require.resolve('@kyc-ledger/chaincode'));
    expect((shimRequire('fabric-shim/package.json') as { version: string }).version).to.equal('2.5.8');
    const { ChaincodeStub } = shimRequire('fabric-shim') as { ChaincodeStub: new (...args: unknown[]) => Record<string, unknown> };
    const handler = {};
    const shimStub = new ChaincodeStub(handler, 'kyc', TX_ID, { getArgsList_asU8: () => [] });
    expect(shimStub).to.include({ handler, channel_id: 'kyc', txId: TX_ID });
    const handlerModule = createRequire(shimRequire.resolve('fabric-shim'))('./lib/handler.js') as { ChaincodeMessageHandler: { prototype: Record<string, unknown> } };
    expect(handlerModule.ChaincodeMessageHandler.prototype._askPeerAndListen).to.be.a('function');
  });

  it('falls back to getState/putState on a context without the shim\'s handler', async function () {
    stub.state.set('a', Buffer.from('1'));
    const batch = new WriteBatch();
    batch.put('b', Buffer.from('2'));
    await batch.flush(stub.ctx);
    expect((await getStates(stub.ctx, ['a', 'b', 'c'])).map((v) => Buffer.from(v).toString())).to.deep.equal(['1', '2', '']);
  });
});

describe('attestation registration over batched ledger access', function () {
  const registry = new RegistryContract();
  const contract = new AttestationContract();

  /** A bootstrapped registry, then `run` on the plain stub and on the batched one. */
  async function both<T>(run: (s: StubContext) => Promise<T>): Promise<{ plain: { result: T; state: Map<string, Buffer>; events: unknown[] }; batched: { result: T; state: Map<string, Buffer>; events: unknown[]; messages: number } }> {
    const setup = async () => {
      const s = createStubContext();
      s.setTxTime('2026-06-01T12:00:00.000Z');
      s.setCaller('Bank1MSP', true);
      await registry.bootstrap(s.ctx, bootstrapInput('kyc-ledger'));
      s.setCaller('Certifier1MSP');
      s.events.length = 0;
      return s;
    };
    const plainStub = await setup();
    const plainResult = await run(plainStub);
    const batchedStub = await setup();
    const { sent, singleCalls } = withPeerMessages(batchedStub);
    const batchedResult = await run(batchedStub);
    expect(singleCalls(), 'single getState/putState calls').to.equal(0);
    return {
      plain: { result: plainResult, state: plainStub.state, events: plainStub.events },
      batched: { result: batchedResult, state: batchedStub.state, events: batchedStub.events, messages: sent.length },
    };
  }

  it('registerBulk writes the same state, result and event as one getState/putState per key, in a handful of messages', async function () {
    const batch = JSON.stringify(Array.from({ length: 150 }, (_, i) => attestationRequest(NETWORK, { kind: 'ed25519', overrides: i % 50 === 0 ? { duplicateMarker: 'ef'.repeat(32) } : {} }).input));
    const { plain, batched } = await both((s) => contract.registerBulk(s.ctx, batch));
    expect(batched.result).to.equal(plain.result);
    expect(JSON.parse(batched.result)).to.include({ registered: 150, unchanged: 0 });
    expect([...batched.state.entries()]).to.deep.equal([...plain.state.entries()]);
    expect(batched.events).to.deep.equal(plain.events);
    // registry view, 2 reads of 100 and 50 ids, 303 writes in 4 batches
    expect(batched.messages).to.equal(1 + 2 + 4);
  });

  it('register reads everything in one message and writes in one', async function () {
    const input = JSON.stringify(attestationRequest(NETWORK).input);
    const { plain, batched } = await both((s) => contract.register(s.ctx, input));
    expect(batched.result).to.equal(plain.result);
    expect([...batched.state.entries()]).to.deep.equal([...plain.state.entries()]);
    expect(batched.events).to.deep.equal(plain.events);
    expect(batched.messages).to.equal(2);
  });

  it('an identical resubmission reads and writes nothing more than its lookups', async function () {
    const input = JSON.stringify(attestationRequest(NETWORK).input);
    const { batched } = await both(async (s) => {
      const first = await contract.register(s.ctx, input);
      s.nextTx();
      expect(await contract.register(s.ctx, input)).to.equal(first);
      return first;
    });
    expect(batched.messages).to.equal(2 + 1);
    expect(batched.events).to.have.length(1);
  });

  it('keeps the order of checks: role before input, the first failing bulk item is the one reported', async function () {
    const stub = createStubContext();
    stub.setTxTime('2026-06-01T12:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    withPeerMessages(stub);
    stub.setCaller('Bank1MSP');
    expect((await rejection(contract.register(stub.ctx, 'not json'))).code).to.equal('FORBIDDEN');
    expect((await rejection(contract.registerBulk(stub.ctx, 'not json'))).code).to.equal('FORBIDDEN');
    stub.setCaller('Certifier1MSP');
    const good = Array.from({ length: 6 }, () => attestationRequest(NETWORK).input);
    const items = [good[0], good[1], { ...good[2], commitmentRoot: 'cd'.repeat(32) }, good[3], { ...good[4], subject: 'eip155:1:0xnothex' }, good[5]];
    const error = await rejection(contract.registerBulk(stub.ctx, JSON.stringify(items)));
    expect(error.code).to.equal('INVALID_SIGNATURE');
    expect(error.details).to.include({ path: '[2].subjectSignature' });
    const subjectFirst = await rejection(contract.registerBulk(stub.ctx, JSON.stringify([good[0], items[4], items[2]])));
    expect(subjectFirst.code).to.equal('INVALID_ARGUMENT');
    expect((subjectFirst.details as { problems: string[] }).problems[0]).to.match(/^\[1\]\.subject: /);
  });
});
