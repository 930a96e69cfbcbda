import { expect } from 'chai';
import { bankingModules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: reKyc (banking)', function () {
  const { reKyc } = bankingModules;
  const rules = { reKyc: { periodDays: 1095, periodDaysByRiskTier: { medium: 730, high: 365 } } };
  const sender = (kycVerifiedAt: string, riskTier: 'low' | 'medium' | 'high') =>
    transfer({ from: party(ALICE, { balance: '1000', investor: investor({ kycVerifiedAt, riskTier }) }) });

  it('lets each tier run for its own period', function () {
    expect(runModule(reKyc, sender('2024-03-10T00:00:00Z', 'low'), { banking: rules })).to.deep.equal([]);
    expect(runModule(reKyc, sender('2024-03-10T00:00:00Z', 'medium'), { banking: rules })).to.deep.equal([]);
    const reasons = runModule(reKyc, sender('2024-03-10T00:00:00Z', 'high'), { banking: rules });
    expect(found(reasons)).to.deep.equal(['REKYC_OVERDUE@from']);
    expect(reasons[0]?.details).to.deep.equal({ kycVerifiedAt: '2024-03-10T00:00:00Z', riskTier: 'high', periodDays: 365, dueAt: '2025-03-10T00:00:00.000Z' });
  });

  it('fails the default period once it has passed', function () {
    expect(found(runModule(reKyc, sender('2023-02-01T00:00:00Z', 'low'), { banking: rules }))).to.deep.equal(['REKYC_OVERDUE@from']);
  });
});
