import { expect } from 'chai';
import { securitiesModules, type SecuritiesRules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, BOB, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: holderCaps (securities)', function () {
  const { holderCaps } = securitiesModules;
  const rules: SecuritiesRules = { holderCaps: { total: 3, byCountry: { US: 2 } } };
  const usHolders = { total: 2, byCountry: { US: 2 } };
  const usRecipient = (balance = '0') => party(BOB, { balance, investor: investor({ jurisdiction: 'US' }) });

  it('blocks a new holder from a country at its cap but not one who already holds', function () {
    const reasons = runModule(holderCaps, transfer({ to: usRecipient(), holders: usHolders }), { securities: rules });
    expect(found(reasons)).to.deep.equal(['COUNTRY_HOLDER_CAP@to']);
    expect(reasons[0]?.details).to.deep.equal({ country: 'US', cap: 2, holders: 2 });
    expect(runModule(holderCaps, transfer({ to: usRecipient('5'), holders: usHolders }), { securities: rules })).to.deep.equal([]);
  });

  it("lets a sender who leaves free its country's slot", function () {
    const leaving = party(ALICE, { balance: '100', investor: investor({ jurisdiction: 'US' }) });
    expect(runModule(holderCaps, transfer({ from: leaving, amount: '100', to: usRecipient(), holders: usHolders }), { securities: rules })).to.deep.equal([]);
    expect(found(runModule(holderCaps, transfer({ from: leaving, amount: '99', to: usRecipient(), holders: usHolders }), { securities: rules })))
      .to.deep.equal(['COUNTRY_HOLDER_CAP@to']);
    const leavingFromCh = party(ALICE, { balance: '100', investor: investor({ jurisdiction: 'CH' }) });
    expect(found(runModule(holderCaps, transfer({ from: leavingFromCh, amount: '100', to: usRecipient(), holders: usHolders }), { securities: rules })))
      .to.deep.equal(['COUNTRY_HOLDER_CAP@to']);
  });

  it('applies the total cap across countries, and issuance frees nothing', function () {
    const full = { total: 3, byCountry: { CH: 3 } };
    expect(found(runModule(holderCaps, transfer({ from: null, holders: full }), { securities: rules }))).to.deep.equal(['TOTAL_HOLDER_CAP@to']);
    expect(runModule(holderCaps, transfer({ from: null, holders: { total: 2, byCountry: { CH: 2 } } }), { securities: rules })).to.deep.equal([]);
  });

  it('does not count a transfer to oneself as a new holder', function () {
    const self = transfer({ to: party(ALICE, { balance: '0' }), holders: { total: 3, byCountry: { CH: 3 } } });
    expect(runModule(holderCaps, self, { securities: rules })).to.deep.equal([]);
  });
});
