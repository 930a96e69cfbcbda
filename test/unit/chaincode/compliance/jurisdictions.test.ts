import { expect } from 'chai';
import { securitiesModules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, BOB, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: jurisdictions (securities)', function () {
  const { jurisdictions } = securitiesModules;
  const to = (jurisdiction: string) => transfer({ to: party(BOB, { investor: investor({ jurisdiction }) }) });

  it('allows only listed countries when there is an allowed list', function () {
    const rules = { jurisdictions: { allowed: ['CH', 'DE'] } };
    expect(runModule(jurisdictions, to('DE'), { securities: rules })).to.deep.equal([]);
    const reasons = runModule(jurisdictions, to('US'), { securities: rules });
    expect(found(reasons)).to.deep.equal(['JURISDICTION_NOT_ALLOWED@to']);
    expect(reasons[0]?.details).to.deep.equal({ jurisdiction: 'US', list: 'allowed' });
  });

  it('refuses blocked countries and allows the rest when there is only a blocked list', function () {
    const rules = { jurisdictions: { blocked: ['US'] } };
    expect(runModule(jurisdictions, to('FR'), { securities: rules })).to.deep.equal([]);
    expect(runModule(jurisdictions, to('US'), { securities: rules })[0]?.details).to.deep.equal({ jurisdiction: 'US', list: 'blocked' });
  });

  it("judges the recipient only, so a holder in a now-excluded country can still sell", function () {
    const input = transfer({ from: party(ALICE, { balance: '1000', investor: investor({ jurisdiction: 'US' }) }) });
    expect(runModule(jurisdictions, input, { securities: { jurisdictions: { blocked: ['US'] } } })).to.deep.equal([]);
  });
});
