import { expect } from 'chai';
import { structuralModules } from '@kyc-ledger/chaincode/dist/compliance';
import { found, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: ruleSetPresence', function () {
  const { ruleSetPresence } = structuralModules;

  it('fails closed for each missing rule set, naming its kind', function () {
    const reasons = runModule(ruleSetPresence, transfer(), {});
    expect(found(reasons)).to.deep.equal(['NO_RULE_SET@transfer', 'NO_RULE_SET@transfer']);
    expect(reasons.map((r) => r.details?.['kind'])).to.deep.equal(['banking', 'securities']);
    expect(found(runModule(ruleSetPresence, transfer(), { banking: {} }))).to.deep.equal(['NO_RULE_SET@transfer']);
  });

  it('passes with both rule sets, even empty ones', function () {
    expect(runModule(ruleSetPresence, transfer(), { banking: {}, securities: {} })).to.deep.equal([]);
  });
});
