import { expect } from 'chai';
import { securitiesModules, type SecuritiesRules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: lockUp (securities)', function () {
  const { lockUp } = securitiesModules;
  const rules: SecuritiesRules = {
    lockUp: {
      periods: [
        { jurisdictions: ['US'], investorTypes: ['retail'], days: 365 },
        { days: 0 },
        { jurisdictions: ['DE'], until: '2026-07-01T00:00:00Z' },
      ],
    },
  };
  const sender = (jurisdiction: string, at: string, investorType: 'retail' | 'institutional' = 'retail') => transfer({
    at,
    from: party(ALICE, { balance: '1000', acquiredAt: '2026-01-10T00:00:00Z', investor: investor({ jurisdiction, investorType }) }),
  });

  it('blocks US retail until 365 days after acquisition and allows it from then', function () {
    const reasons = runModule(lockUp, sender('US', '2027-01-09T23:59:59Z'), { securities: rules });
    expect(found(reasons)).to.deep.equal(['LOCKED_UP@from']);
    expect(reasons[0]?.details).to.deep.equal({ lockedUntil: '2027-01-10T00:00:00.000Z' });
    expect(runModule(lockUp, sender('US', '2027-01-10T00:00:00Z'), { securities: rules })).to.deep.equal([]);
  });

  it('lets other US investors and other countries through at once', function () {
    expect(runModule(lockUp, sender('US', '2026-01-11T00:00:00Z', 'institutional'), { securities: rules })).to.deep.equal([]);
    expect(runModule(lockUp, sender('CH', '2026-01-11T00:00:00Z'), { securities: rules })).to.deep.equal([]);
  });

  it('honours a fixed end date', function () {
    expect(runModule(lockUp, sender('DE', '2026-06-30T00:00:00Z'), { securities: rules })[0]?.details).to.deep.equal({ lockedUntil: '2026-07-01T00:00:00.000Z' });
    expect(runModule(lockUp, sender('DE', '2026-07-01T00:00:00Z'), { securities: rules })).to.deep.equal([]);
  });

  it('takes the longest applicable period', function () {
    const both: SecuritiesRules = { lockUp: { periods: [{ days: 30 }, { until: '2026-12-31T00:00:00Z' }, { days: 90 }] } };
    expect(runModule(lockUp, sender('CH', '2026-11-01T00:00:00Z'), { securities: both })[0]?.details).to.deep.equal({ lockedUntil: '2026-12-31T00:00:00.000Z' });
  });

  it('stays locked when a day-based period applies and the acquisition time is unknown, and never stops issuance', function () {
    const unknown = transfer({ from: party(ALICE, { balance: '1000' }) });
    expect(runModule(lockUp, unknown, { securities: { lockUp: { periods: [{ days: 1 }] } } })[0]?.details).to.deep.equal({ lockedUntil: null, problem: 'ACQUIRED_AT_UNKNOWN' });
    expect(runModule(lockUp, transfer({ from: null }), { securities: rules })).to.deep.equal([]);
  });
});
