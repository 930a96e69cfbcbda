import { expect } from 'chai';
import { bankingModules, type BankingRules } from '@kyc-ledger/chaincode/dist/compliance';
import { BOB, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: jurisdictionLists (banking)', function () {
  const { jurisdictionLists } = bankingModules;
  const lists = { sanctioned: ['KP', 'IR'], highRisk: ['PA', 'SY'] };
  const block: BankingRules = { jurisdictionLists: { ...lists, highRiskPolicy: { policy: 'block' } } };
  const edd: BankingRules = { jurisdictionLists: { ...lists, highRiskPolicy: { policy: 'enhancedDueDiligence', maxAmlAgeDays: 30 } } };
  const recipient = (jurisdiction: string, riskTier: 'low' | 'high' = 'low', amlScreenedAt = '2026-02-15T00:00:00Z') =>
    transfer({ to: party(BOB, { investor: investor({ jurisdiction, riskTier, amlScreenedAt }) }) });

  it('always blocks a sanctioned jurisdiction, even under enhanced due diligence', function () {
    expect(found(runModule(jurisdictionLists, recipient('KP', 'high'), { banking: edd }))).to.deep.equal(['JURISDICTION_SANCTIONED@to']);
  });

  it('blocks a high-risk jurisdiction when the policy says block', function () {
    const reasons = runModule(jurisdictionLists, recipient('PA', 'high'), { banking: block });
    expect(found(reasons)).to.deep.equal(['JURISDICTION_HIGH_RISK@to']);
    expect(reasons[0]?.details).to.deep.include({ unmet: ['POLICY_BLOCKS'] });
  });

  it('allows a high-risk jurisdiction under enhanced due diligence only with risk tier high and a fresh screening', function () {
    expect(runModule(jurisdictionLists, recipient('PA', 'high'), { banking: edd })).to.deep.equal([]);
    expect(runModule(jurisdictionLists, recipient('PA', 'low'), { banking: edd })[0]?.details).to.deep.include({ unmet: ['RISK_TIER_NOT_HIGH'] });
    expect(runModule(jurisdictionLists, recipient('PA', 'high', '2026-01-01T00:00:00Z'), { banking: edd })[0]?.details).to.deep.include({ unmet: ['AML_SCREENING_TOO_OLD'] });
  });

  it('leaves other jurisdictions alone', function () {
    expect(runModule(jurisdictionLists, recipient('CH'), { banking: block })).to.deep.equal([]);
  });
});
