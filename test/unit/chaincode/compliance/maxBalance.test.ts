import { expect } from 'chai';
import { securitiesModules, type SecuritiesRules } from '@kyc-ledger/chaincode/dist/compliance';
import { BOB, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: maxBalance (securities)', function () {
  const { maxBalance } = securitiesModules;
  const rules: SecuritiesRules = { maxBalance: { default: '1000', byInvestorType: { institutional: '1000000' } } };

  it('counts the balance after the transfer against the default limit', function () {
    expect(runModule(maxBalance, transfer({ amount: '100', to: party(BOB, { balance: '900' }) }), { securities: rules })).to.deep.equal([]);
    const reasons = runModule(maxBalance, transfer({ amount: '101', to: party(BOB, { balance: '900' }) }), { securities: rules });
    expect(found(reasons)).to.deep.equal(['MAX_BALANCE@to']);
    expect(reasons[0]?.details).to.deep.equal({ maxBalance: '1000', balanceAfter: '1001', investorType: 'retail' });
  });

  it("uses the investor type's own limit", function () {
    const institution = party(BOB, { balance: '900', investor: investor({ investorType: 'institutional', entityType: 'corporation' }) });
    expect(runModule(maxBalance, transfer({ from: null, amount: '500000', to: institution }), { securities: rules })).to.deep.equal([]);
  });
});
