import { expect } from 'chai';
import { structuralModules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, BOB, found, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: frozen', function () {
  const { frozen } = structuralModules;

  it('passes when nothing is frozen', function () {
    expect(runModule(frozen, transfer(), {})).to.deep.equal([]);
  });

  it('names the asset, the sender and the recipient with their own codes', function () {
    const input = transfer({ asset: { id: 'ACME-REG-D-1', frozen: true }, from: party(ALICE, { balance: '1000', frozen: true }), to: party(BOB, { frozen: true }) });
    const reasons = runModule(frozen, input, {});
    expect(found(reasons)).to.deep.equal(['ASSET_FROZEN@asset', 'SENDER_FROZEN@from', 'RECIPIENT_FROZEN@to']);
    expect(reasons.map((r) => r.code)).to.deep.equal([1, 2, 3]);
    expect(reasons.every((r) => r.module === 'frozen')).to.equal(true);
  });

  it('checks only the recipient on issuance', function () {
    expect(found(runModule(frozen, transfer({ from: null, to: party(BOB, { frozen: true }) }), {}))).to.deep.equal(['RECIPIENT_FROZEN@to']);
  });
});
