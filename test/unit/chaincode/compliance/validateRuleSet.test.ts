import { expect } from 'chai';
import { validateRuleSet } from '@kyc-ledger/chaincode/dist/compliance';

describe('validateRuleSet', function () {
  const problemsOf = (input: unknown): string[] => {
    const result = validateRuleSet(input);
    if (result.ok) throw new Error('expected problems');
    return result.problems;
  };

  it('accepts a minimal rule set of each kind and returns it unchanged', function () {
    const banking = { kind: 'banking', scope: 'consortium', effectiveFrom: '2026-01-01T00:00:00Z', rules: {} };
    expect(validateRuleSet(banking)).to.deep.equal({ ok: true, ruleSet: banking });
    const securities = { kind: 'securities', scope: 'ACME-1', effectiveFrom: '2026-01-01T00:00:00Z', rules: { holderCaps: { total: 99 } } };
    expect(validateRuleSet(securities)).to.deep.equal({ ok: true, ruleSet: securities });
  });

  it('lists every problem of a securities rule set at once, each as "path: message"', function () {
    const problems = problemsOf({
      kind: 'securities',
      scope: 'ACME-1',
      effectiveFrom: '2026-13-01',
      rules: {
        jurisdictions: { allowed: ['US', 'XX'], blocked: ['US'] },
        investorTypes: { byJurisdiction: { US: { investorTypes: ['accredited', 'whale'] }, ZZ: { investorTypes: ['retail'] } } },
        holderCaps: { total: 0, byCountry: { US: 2.5 } },
        maxBalance: { default: '-5' },
        lockUp: { periods: [{ days: -1 }, {}, { days: 10, until: '2027-01-01T00:00:00Z' }] },
        dividends: true,
      },
    });
    expect(problems).to.include.members([
      'rules.jurisdictions.allowed.1: must be an ISO 3166-1 alpha-2 code',
      'rules.jurisdictions.blocked: US must not be in both allowed and blocked',
      'rules.investorTypes.byJurisdiction.ZZ: must be "*" or an ISO 3166-1 alpha-2 code',
      'rules.investorTypes.byJurisdiction: must have a default "*" entry',
      'rules.holderCaps.total: must be a positive integer',
      'rules.holderCaps.byCountry.US: must be an integer',
      'rules.maxBalance.default: must be a decimal integer > 0 without leading zeros',
      'rules.lockUp.periods.0.days: must be >= 0',
      'rules.lockUp.periods.1: must set exactly one of days, until',
      'rules.lockUp.periods.2: must set exactly one of days, until',
    ]);
    expect(problems.some((p) => p.startsWith('effectiveFrom: '))).to.equal(true);
    expect(problems.some((p) => p.startsWith('rules.investorTypes.byJurisdiction.US.investorTypes.1: '))).to.equal(true);
    expect(problems.some((p) => p.startsWith('rules: ') && p.includes('dividends'))).to.equal(true);
    expect(problems).to.have.length(13);
  });

  it('checks banking rule sets: scope, overlapping lists, tiers, empty module configs and unknown keys', function () {
    const problems = problemsOf({
      kind: 'banking',
      scope: 'Bank1MSP',
      effectiveFrom: '2026-01-01T00:00:00Z',
      rules: {
        jurisdictionLists: { sanctioned: ['KP', 'IR'], highRisk: ['IR', 'PA', 'PA'], highRiskPolicy: { policy: 'maybe' } },
        riskTier: { allowed: [], maxTransferAmount: { extreme: '10' } },
        amlScreening: { maxAgeDays: 90, extra: 1 },
        pep: { policy: 'block', maxAmlAgeDays: 5 },
      },
    });
    expect(problems.some((p) => p.startsWith('scope: '))).to.equal(true);
    expect(problems).to.include('rules.jurisdictionLists.highRisk: must not repeat an entry');
    expect(problems).to.include('rules.jurisdictionLists.highRisk: IR must not be in both sanctioned and highRisk');
    expect(problems.some((p) => p.startsWith('rules.jurisdictionLists.highRiskPolicy.policy: '))).to.equal(true);
    expect(problems).to.include('rules.riskTier.allowed: must allow at least one risk tier');
    expect(problems.some((p) => p.startsWith('rules.riskTier.maxTransferAmount: ') && p.includes('extreme'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('rules.amlScreening: ') && p.includes('extra'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('rules.pep: ') && p.includes('maxAmlAgeDays'))).to.equal(true);
  });

  it('requires something to do in modules that would otherwise silently do nothing', function () {
    const problems = problemsOf({ kind: 'securities', scope: 'ACME-1', effectiveFrom: '2026-01-01T00:00:00Z', rules: { jurisdictions: {}, holderCaps: {}, maxBalance: {} } });
    expect(problems).to.deep.equal([
      'rules.jurisdictions: must set at least one of allowed, blocked',
      'rules.holderCaps: must set at least one of total, byCountry',
      'rules.maxBalance: must set at least one of default, byInvestorType',
    ]);
  });

  it('rejects what is not a rule set at all', function () {
    expect(problemsOf(null)).to.have.length(1);
    expect(problemsOf({ kind: 'tax' })[0]).to.match(/^kind: /);
  });
});
