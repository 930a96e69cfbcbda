import { expect } from 'chai';
import { structuralModules } from '@kyc-ledger/chaincode/dist/compliance';
import { found, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: amount', function () {
  const { amount } = structuralModules;

  it('allows the whole balance and no more', function () {
    expect(runModule(amount, transfer({ amount: '1000' }), {})).to.deep.equal([]);
    const reasons = runModule(amount, transfer({ amount: '1001' }), {});
    expect(found(reasons)).to.deep.equal(['INSUFFICIENT_BALANCE@from']);
    expect(reasons[0]?.details).to.deep.equal({ balance: '1000', amount: '1001' });
  });

  it('rejects zero, negative, fractional, leading-zero and non-numeric amounts', function () {
    for (const bad of ['0', '-5', '1.5', '0100', '1e3', '', ' 100', 'abc']) {
      expect(found(runModule(amount, transfer({ amount: bad }), {})), bad).to.deep.equal(['INVALID_AMOUNT@transfer']);
    }
  });

  it('compares amounts beyond 2^53 exactly', function () {
    const from = { ...transfer().from!, balance: '9007199254740993' };
    expect(runModule(amount, transfer({ from, amount: '9007199254740993' }), {})).to.deep.equal([]);
    expect(found(runModule(amount, transfer({ from, amount: '9007199254740994' }), {}))).to.deep.equal(['INSUFFICIENT_BALANCE@from']);
  });

  it('has no balance to check on issuance', function () {
    expect(runModule(amount, transfer({ from: null, amount: '1000000' }), {})).to.deep.equal([]);
  });
});
