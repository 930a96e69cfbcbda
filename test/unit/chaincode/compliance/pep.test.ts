import { expect } from 'chai';
import { bankingModules, type BankingRules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: pep (banking)', function () {
  const { pep } = bankingModules;
  const sender = (isPep: boolean, riskTier: 'medium' | 'high' = 'high', amlScreenedAt = '2026-02-20T00:00:00Z') =>
    transfer({ from: party(ALICE, { balance: '1000', investor: investor({ pep: isPep, riskTier, amlScreenedAt }) }) });

  it('blocks a PEP when the policy says block, and nobody else', function () {
    const rules: BankingRules = { pep: { policy: 'block' } };
    expect(found(runModule(pep, sender(true), { banking: rules }))).to.deep.equal(['PEP_NOT_ALLOWED@from']);
    expect(runModule(pep, sender(false), { banking: rules })).to.deep.equal([]);
  });

  it('under enhanced due diligence needs risk tier high and a screening within maxAmlAgeDays', function () {
    const rules: BankingRules = { pep: { policy: 'enhancedDueDiligence', maxAmlAgeDays: 14 } };
    expect(runModule(pep, sender(true), { banking: rules })).to.deep.equal([]);
    const reasons = runModule(pep, sender(true, 'medium', '2026-01-01T00:00:00Z'), { banking: rules });
    expect(found(reasons)).to.deep.equal(['PEP_NOT_ALLOWED@from']);
    expect(reasons[0]?.details).to.deep.equal({ policy: 'enhancedDueDiligence', unmet: ['RISK_TIER_NOT_HIGH', 'AML_SCREENING_TOO_OLD'] });
  });

  it('without maxAmlAgeDays only needs risk tier high', function () {
    const rules: BankingRules = { pep: { policy: 'enhancedDueDiligence' } };
    expect(runModule(pep, sender(true, 'high', '2020-01-01T00:00:00Z'), { banking: rules })).to.deep.equal([]);
  });
});
