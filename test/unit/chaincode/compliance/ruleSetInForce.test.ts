import { expect } from 'chai';
import { ruleSetInForce } from '@kyc-ledger/chaincode/dist/compliance';

describe('ruleSetInForce', function () {
  const v1 = { id: 'v1', effectiveFrom: '2026-01-01T00:00:00Z' };
  const v2 = { id: 'v2', effectiveFrom: '2026-06-01T00:00:00Z' };
  const v3 = { id: 'v3', effectiveFrom: '2027-01-01T00:00:00Z' };

  it('picks the latest version whose effective date is not after the time, whatever the list order', function () {
    for (const versions of [[v1, v2, v3], [v3, v1, v2]]) {
      expect(ruleSetInForce(versions, '2026-05-31T23:59:59Z')?.id).to.equal('v1');
      expect(ruleSetInForce(versions, '2026-06-01T00:00:00Z')?.id).to.equal('v2');
      expect(ruleSetInForce(versions, '2030-01-01T00:00:00Z')?.id).to.equal('v3');
    }
  });

  it('has nothing in force before the first version', function () {
    expect(ruleSetInForce([v1, v2], '2025-12-31T23:59:59Z')).to.equal(undefined);
    expect(ruleSetInForce([], '2026-01-01T00:00:00Z')).to.equal(undefined);
  });

  it('compares instants, not spellings, and lets the later-published of two equal dates win', function () {
    const fractional = { id: 'v2-ms', effectiveFrom: '2026-06-01T00:00:00.000Z' };
    expect(ruleSetInForce([v1, fractional], '2026-06-01T00:00:00Z')?.id).to.equal('v2-ms');
    expect(ruleSetInForce([v2, fractional], '2026-06-01T00:00:00Z')?.id).to.equal('v2-ms');
    expect(ruleSetInForce([fractional, v2], '2026-06-01T00:00:00Z')?.id).to.equal('v2');
  });
});
