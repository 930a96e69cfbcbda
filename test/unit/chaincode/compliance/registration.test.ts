import { expect } from 'chai';
import { structuralModules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, BOB, found, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: registration', function () {
  const { registration } = structuralModules;

  it('passes when both addresses are registered for the asset', function () {
    expect(runModule(registration, transfer(), {})).to.deep.equal([]);
  });

  it('fails an unregistered sender and an unregistered recipient separately', function () {
    const input = transfer({ from: party(ALICE, { balance: '1000', registered: false }), to: party(BOB, { registered: false }) });
    expect(found(runModule(registration, input, {}))).to.deep.equal(['SENDER_NOT_REGISTERED@from', 'RECIPIENT_NOT_REGISTERED@to']);
  });

  it('has no sender to check on issuance', function () {
    expect(runModule(registration, transfer({ from: null }), {})).to.deep.equal([]);
  });
});
