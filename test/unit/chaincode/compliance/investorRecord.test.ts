import { expect } from 'chai';
import { structuralModules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, BOB, found, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: investorRecord', function () {
  const { investorRecord } = structuralModules;

  it('passes when both parties have an investor record', function () {
    expect(runModule(investorRecord, transfer(), {})).to.deep.equal([]);
  });

  it('fails each party without one', function () {
    const input = transfer({ from: party(ALICE, { balance: '1000', investor: undefined }), to: party(BOB, { investor: undefined }) });
    expect(found(runModule(investorRecord, input, {}))).to.deep.equal(['INVESTOR_RECORD_MISSING@from', 'INVESTOR_RECORD_MISSING@to']);
  });
});
