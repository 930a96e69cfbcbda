import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { peer } from '@hyperledger/fabric-protos';
import { committedWritesWithPrivateData, type PrivateWrite } from '@kyc-ledger/follower';
import { encodeBlockAndPrivateData, type TestTransaction } from '../../support/encodeBlock';

const OWN = 'issuer__Issuer1MSP';
const SHARED = 'investor__Issuer1MSP__Certifier1MSP';
const OTHER = 'investor__Issuer2MSP__Certifier1MSP';
const mine = (name: string) => name === OWN || name === SHARED;
const key = (type: string, ...attrs: string[]) => `\u0000${type}\u0000${attrs.map((a) => `${a}\u0000`).join('')}`;
const hash = (k: string) => createHash('sha256').update(k).digest('hex');
const text = (v: Uint8Array | undefined) => (v === undefined ? undefined : new TextDecoder().decode(v));
const parse = (number: number, txs: TestTransaction[]) => committedWritesWithPrivateData(peer.BlockAndPrivateData.deserializeBinary(encodeBlockAndPrivateData(number, txs)), 'kyc', mine);
const brief = (w: PrivateWrite) => [w.collection, w.kind, w.key, text(w.value)];

const holding = key('holding', 'A', 'addr1');
const investor = key('investor', 'inv-1');

describe('gateway committedWritesWithPrivateData (blocks with private data)', function () {
  it('pairs each hashed private write of a valid transaction with its delivered key and value, in block order', function () {
    const parsed = parse(5, [
      { private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: holding, value: '{"balance":"10"}' }] }] },
      { private: [{ namespace: 'kyc', collection: SHARED, writes: [{ key: investor, value: '{"id":"inv-1"}' }, { key: key('investor', 'gone') }] }], actions: [[{ namespace: 'kyc', writes: [{ key: 'pub', value: 'p' }] }]] },
    ]);
    expect(parsed.privateWrites?.map(brief)).to.deep.equal([
      [OWN, 'put', holding, '{"balance":"10"}'],
      [SHARED, 'put', investor, '{"id":"inv-1"}'],
      [SHARED, 'delete', key('investor', 'gone'), undefined],
    ]);
    expect(parsed.privateWrites?.[0]?.keyHash).to.equal(hash(holding));
    expect(parsed.writes.map((w) => w.key)).to.deep.equal(['pub']);
  });

  it('skips invalid transactions\' private writes, other namespaces and collections not selected', function () {
    const parsed = parse(6, [
      { private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: holding, value: 'rejected' }] }], validationCode: peer.TxValidationCode.MVCC_READ_CONFLICT },
      { private: [{ namespace: 'other', collection: OWN, writes: [{ key: holding, value: 'theirs' }] }] },
      { private: [{ namespace: 'kyc', collection: OTHER, writes: [{ key: investor, value: 'not ours' }] }] },
      { private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: holding, value: 'kept' }] }] },
    ]);
    expect(parsed.privateWrites?.map(brief)).to.deep.equal([[OWN, 'put', holding, 'kept']]);
    expect([parsed.validTransactions, parsed.invalidTransactions]).to.deep.equal([3, 1]);
  });

  it('reports a purge from the hashed write set, with the key when the private delete was delivered and by hash alone when not', function () {
    const parsed = parse(7, [
      { private: [{ namespace: 'kyc', collection: SHARED, writes: [{ key: investor, purge: true }] }] },
      { private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: holding, purge: true }], delivered: false }] },
    ]);
    expect(parsed.privateWrites?.map(brief)).to.deep.equal([[SHARED, 'purge', investor, undefined], [OWN, 'purge', undefined, undefined]]);
    expect(parsed.privateWrites?.[1]?.keyHash).to.equal(hash(holding));
  });

  it('marks a put whose private data was not delivered as unknown', function () {
    const parsed = parse(8, [{ private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: holding, value: 'x' }], delivered: false }] }]);
    expect(parsed.privateWrites?.map(brief)).to.deep.equal([[OWN, 'unknown', undefined, undefined]]);
  });
});
