import { expect } from 'chai';
import { securitiesModules, type InvestorFacts, type SecuritiesRules } from '@kyc-ledger/chaincode/dist/compliance';
import { BOB, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: investorTypes (securities)', function () {
  const { investorTypes } = securitiesModules;
  const rules: SecuritiesRules = {
    investorTypes: {
      byJurisdiction: {
        US: { investorTypes: ['accredited', 'institutional'], entityTypes: ['individual', 'corporation', 'fund'] },
        '*': { investorTypes: ['retail', 'professional', 'qualified', 'accredited', 'institutional'] },
      },
    },
  };
  const to = (facts: Partial<InvestorFacts>) => transfer({ to: party(BOB, { investor: investor(facts) }) });

  it("uses the country's own entry: US retail is refused, retail elsewhere falls to '*'", function () {
    const reasons = runModule(investorTypes, to({ jurisdiction: 'US', investorType: 'retail' }), { securities: rules });
    expect(found(reasons)).to.deep.equal(['INVESTOR_TYPE_NOT_ALLOWED@to']);
    expect(reasons[0]?.details).to.deep.include({ jurisdiction: 'US', investorType: 'retail' });
    expect(runModule(investorTypes, to({ jurisdiction: 'CH', investorType: 'retail' }), { securities: rules })).to.deep.equal([]);
  });

  it('accepts an accredited investor until the accreditation expires, then says it expired', function () {
    const accredited = { jurisdiction: 'US', investorType: 'accredited' as const, accreditationExpiresAt: '2026-06-01T00:00:00Z' };
    expect(runModule(investorTypes, to(accredited), { securities: rules })).to.deep.equal([]);
    const lapsed = { ...to(accredited), at: '2026-06-01T00:00:00Z' };
    const reasons = runModule(investorTypes, lapsed, { securities: rules });
    expect(found(reasons)).to.deep.equal(['ACCREDITATION_EXPIRED@to']);
    expect(reasons[0]?.details).to.deep.equal({ investorType: 'accredited', accreditationExpiresAt: '2026-06-01T00:00:00Z' });
  });

  it('treats an accredited investor without an expiry as lapsed, but a lapsed one is still fine where retail is', function () {
    expect(found(runModule(investorTypes, to({ jurisdiction: 'US', investorType: 'accredited' }), { securities: rules }))).to.deep.equal(['ACCREDITATION_EXPIRED@to']);
    expect(runModule(investorTypes, to({ jurisdiction: 'DE', investorType: 'accredited' }), { securities: rules })).to.deep.equal([]);
  });

  it('checks the entity type separately', function () {
    const trust = { jurisdiction: 'US', investorType: 'institutional' as const, entityType: 'trust' as const };
    const reasons = runModule(investorTypes, to(trust), { securities: rules });
    expect(found(reasons)).to.deep.equal(['INVESTOR_TYPE_NOT_ALLOWED@to']);
    expect(reasons[0]?.details).to.deep.include({ entityType: 'trust' });
    expect(runModule(investorTypes, to({ ...trust, entityType: 'fund' }), { securities: rules })).to.deep.equal([]);
  });
});
