import { expect } from 'chai';
import { common, peer } from '@hyperledger/fabric-protos';
import { committedWrites } from '@kyc-ledger/gateway';
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
});
