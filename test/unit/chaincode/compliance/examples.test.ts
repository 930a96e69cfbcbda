import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import { validateRuleSet } from '@kyc-ledger/chaincode/dist/compliance';
import { EXAMPLES_DIR, exampleRuleSet } from '../../../support/complianceFixtures';

describe('compliance example rule sets', function () {
  const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();

  it('include the FATF-style banking rules and the Reg-D-style asset', function () {
    expect(files).to.include.members(['banking-fatf-2026.json', 'reg-d-style-asset.json']);
  });

  for (const file of files) {
    it(`${file} validates`, function () {
      const result = validateRuleSet(exampleRuleSet(file));
      expect(result.ok ? [] : result.problems).to.deep.equal([]);
    });
  }
});
