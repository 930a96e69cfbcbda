import { expect } from 'chai';
import { bankingModules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, BOB, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: riskTier (banking)', function () {
  const { riskTier } = bankingModules;
  const rules = { riskTier: { allowed: ['low' as const, 'medium' as const], maxTransferAmount: { medium: '500' } } };
  const withTiers = (fromTier: 'low' | 'medium' | 'high', toTier: 'low' | 'medium' | 'high', amount = '100') => transfer({
    amount,
    from: party(ALICE, { balance: '1000', investor: investor({ riskTier: fromTier }) }),
    to: party(BOB, { investor: investor({ riskTier: toTier }) }),
  });

  it('refuses a tier that is not allowed, on either side', function () {
    expect(runModule(riskTier, withTiers('low', 'medium'), { banking: rules })).to.deep.equal([]);
    expect(found(runModule(riskTier, withTiers('high', 'low'), { banking: rules }))).to.deep.equal(['RISK_TIER_NOT_ALLOWED@from']);
  });

  it("limits the amount by the party's tier", function () {
    expect(runModule(riskTier, withTiers('low', 'medium', '500'), { banking: rules })).to.deep.equal([]);
    const reasons = runModule(riskTier, withTiers('low', 'medium', '501'), { banking: rules });
    expect(found(reasons)).to.deep.equal(['RISK_TIER_AMOUNT_LIMIT@to']);
    expect(reasons[0]?.details).to.deep.equal({ riskTier: 'medium', maxTransferAmount: '500', amount: '501' });
  });
});
