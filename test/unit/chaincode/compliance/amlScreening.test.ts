import { expect } from 'chai';
import { bankingModules } from '@kyc-ledger/chaincode/dist/compliance';
import { BOB, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: amlScreening (banking)', function () {
  const { amlScreening } = bankingModules;
  const rules = { amlScreening: { maxAgeDays: 365, maxAgeDaysByRiskTier: { high: 30 } } };
  const screened = (amlScreenedAt: string, riskTier: 'low' | 'high' = 'low') => transfer({ at: '2026-03-01T00:00:00Z', to: party(BOB, { investor: investor({ amlScreenedAt, riskTier }) }) });

  it('accepts a screening exactly at its maximum age and rejects one a second older', function () {
    expect(runModule(amlScreening, screened('2025-03-01T00:00:00Z'), { banking: rules })).to.deep.equal([]);
    const reasons = runModule(amlScreening, screened('2025-02-28T23:59:59Z'), { banking: rules });
    expect(found(reasons)).to.deep.equal(['AML_SCREENING_STALE@to']);
    expect(reasons[0]?.details).to.deep.include({ maxAgeDays: 365, staleSince: '2026-02-28T23:59:59.000Z' });
  });

  it('applies the shorter period of the risk tier', function () {
    expect(runModule(amlScreening, screened('2026-01-15T00:00:00Z', 'low'), { banking: rules })).to.deep.equal([]);
    const reasons = runModule(amlScreening, screened('2026-01-15T00:00:00Z', 'high'), { banking: rules });
    expect(found(reasons)).to.deep.equal(['AML_SCREENING_STALE@to']);
    expect(reasons[0]?.details).to.deep.include({ riskTier: 'high', maxAgeDays: 30 });
  });

  it('reads the age from the transaction time only', function () {
    const later = { ...screened('2026-01-15T00:00:00Z'), at: '2027-01-16T00:00:00Z' };
    expect(found(runModule(amlScreening, later, { banking: rules }))).to.deep.equal(['AML_SCREENING_STALE@to']);
  });
});
