import { expect } from 'chai';
import { common, peer } from '@hyperledger/fabric-protos';
import { committedWrites } from '@kyc-ledger/follower';
import { encodeBlock } from '../../support/encodeBlock';

const decode = (bytes: Uint8Array) => common.Block.deserializeBinary(bytes);
const text = (v: Uint8Array | undefined) => (v === undefined ? undefined : new TextDecoder().decode(v));

describe('gateway committedWrites (block parsing)', function () {
  it('returns the chaincode\'s writes and deletes of valid transactions, in block order', function () {
    const block = decode(encodeBlock(7, [
      { actions: [[{ namespace: 'kyc', writes: [{ key: 'a', value: '1' }, { key: 'b' }] }]] },
      { actions: [[{ namespace: 'kyc', writes: [{ key: 'a', value: '2' }] }]] },
    ]));
    const parsed = committedWrites(block, 'kyc');
    expect(parsed.number).to.equal(7n);
    expect(parsed.writes.map((w) => [w.key, text(w.value)])).to.deep.equal([['a', '1'], ['b', undefined], ['a', '2']]);
    expect([parsed.validTransactions, parsed.invalidTransactions]).to.deep.equal([2, 0]);
  });

  it('skips transactions the peer marked invalid, whatever their code', function () {
    const block = decode(encodeBlock(3, [
      { actions: [[{ namespace: 'kyc', writes: [{ key: 'rejected', value: 'x' }] }]], validationCode: peer.TxValidationCode.MVCC_READ_CONFLICT },
      { actions: [[{ namespace: 'kyc', writes: [{ key: 'kept', value: 'y' }] }]] },
      { actions: [[{ namespace: 'kyc', writes: [{ key: 'unendorsed' }] }]], validationCode: peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE },
      { actions: [[{ namespace: 'kyc', writes: [{ key: 'again', value: 'z' }] }]], validationCode: peer.TxValidationCode.DUPLICATE_TXID },
    ]));
    const parsed = committedWrites(block, 'kyc');
    expect(parsed.writes.map((w) => w.key)).to.deep.equal(['kept']);
    expect([parsed.validTransactions, parsed.invalidTransactions]).to.deep.equal([1, 3]);
  });

  it('ignores other namespaces and config transactions, and reads every action of a transaction', function () {
    const block = decode(encodeBlock(0, [
      { config: true },
      {
        actions: [
          [{ namespace: '_lifecycle', writes: [{ key: 'namespaces/fields/kyc/Sequence', value: '1' }] }, { namespace: 'kyc', writes: [{ key: 'first', value: '1' }] }],
          [{ namespace: 'other', writes: [{ key: 'first', value: 'theirs' }] }, { namespace: 'kyc', writes: [{ key: 'second', value: '2' }] }],
        ],
      },
    ]));
    const parsed = committedWrites(block, 'kyc');
    expect(parsed.writes.map((w) => [w.key, text(w.value)])).to.deep.equal([['first', '1'], ['second', '2']]);
    expect(committedWrites(block, 'other').writes.map((w) => text(w.value))).to.deep.equal(['theirs']);
    expect(parsed.validTransactions).to.equal(1);
  });

  it('refuses a block without validation codes rather than guess which writes count', function () {
    const block = decode(encodeBlock(4, [{ actions: [[{ namespace: 'kyc', writes: [{ key: 'a', value: '1' }] }]] }], { filter: false }));
    expect(() => committedWrites(block, 'kyc')).to.throw(/no transaction validation codes/);
  });

  it('lists the LedgerChanged events of valid transactions of the chaincode, keeping known changes and counting unknown ones', function () {
    const at = new Date('2026-03-01T10:20:30.456Z');
    const payload = (changes: unknown[]) => JSON.stringify({ changes });
    const registered = { type: 'AttestationRegistered', id: 'a1', subject: 's', certifier: 'Certifier1MSP' };
    const block = decode(encodeBlock(9, [
      { event: { payload: payload([registered]) }, timestamp: at },
      { event: { payload: payload([{ type: 'AssetFrozen', id: 'X' }]) }, validationCode: peer.TxValidationCode.MVCC_READ_CONFLICT },
      { event: { chaincode: 'other', payload: payload([registered]) } },
      { event: { name: 'SomethingElse', payload: payload([registered]) } },
      { event: { payload: payload([{ type: 'FromTheFuture', x: 1 }, { type: 'AssetFrozen', id: 'Y' }, { type: 'AssetFrozen' }]) }, timestamp: at },
      { event: { payload: 'not json' } },
      { actions: [[{ namespace: 'kyc', writes: [{ key: 'k', value: 'v' }] }]] },
    ]));
    const parsed = committedWrites(block, 'kyc');
    expect(parsed.events).to.deep.equal([
      { txId: 'tx-9-0', timestamp: at.toISOString(), changes: [registered] },
      { txId: 'tx-9-4', timestamp: at.toISOString(), changes: [{ type: 'AssetFrozen', id: 'Y' }] },
    ]);
    // The unknown type, the change missing its field, and the payload that is no ledger event.
    expect(parsed.unknownChanges).to.equal(3);
    expect(committedWrites(block, 'other').events.map((e) => e.txId)).to.deep.equal(['tx-9-2']);
  });

  it('has no events and no unknown count for a block without any', function () {
    const parsed = committedWrites(decode(encodeBlock(2, [{ actions: [[{ namespace: 'kyc', writes: [{ key: 'a', value: '1' }] }]] }])), 'kyc');
    expect(parsed.events).to.deep.equal([]);
    expect(parsed.unknownChanges).to.equal(undefined);
  });
});
