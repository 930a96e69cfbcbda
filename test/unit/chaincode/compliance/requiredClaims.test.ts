import { expect } from 'chai';
import { bankingModules } from '@kyc-ledger/chaincode/dist/compliance';
import { ALICE, BOB, attestation, found, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: requiredClaims (banking)', function () {
  const { requiredClaims } = bankingModules;
  const rules = { requiredClaims: { claimTopics: ['identity', 'address'], minAssuranceLevel: 'substantial' as const } };

  it('passes a valid attestation with the topics at the required level or above', function () {
    expect(runModule(requiredClaims, transfer(), { banking: rules })).to.deep.equal([]);
    const high = transfer({ to: party(BOB, { attestation: attestation({ assuranceLevel: 'high' }) }) });
    expect(runModule(requiredClaims, high, { banking: rules })).to.deep.equal([]);
  });

  it('reports missing topics and a low assurance level together', function () {
    const input = transfer({ to: party(BOB, { attestation: attestation({ claimTopics: ['identity'], assuranceLevel: 'low' }) }) });
    const reasons = runModule(requiredClaims, input, { banking: rules });
    expect(found(reasons)).to.deep.equal(['KYC_CLAIMS_MISSING@to', 'ASSURANCE_TOO_LOW@to']);
    expect(reasons[0]?.details).to.deep.include({ missing: ['address'] });
  });

  it('reports only ATTESTATION_INVALID for an invalid or missing attestation, for each party', function () {
    const input = transfer({
      from: party(ALICE, { balance: '1000', attestation: attestation({ valid: false, failing: ['REVOKED'], claimTopics: [] }) }),
      to: party(BOB, { attestation: undefined }),
    });
    const reasons = runModule(requiredClaims, input, { banking: rules });
    expect(found(reasons)).to.deep.equal(['ATTESTATION_INVALID@from', 'ATTESTATION_INVALID@to']);
    expect(reasons[0]?.details).to.deep.equal({ attestation: 'att-1', failing: ['REVOKED'] });
    expect(reasons[1]?.details).to.deep.equal({ failing: ['MISSING'] });
  });

  it('does not check the sender on issuance, and is off without its rules', function () {
    const bad = attestation({ valid: false, failing: ['EXPIRED'] });
    expect(runModule(requiredClaims, transfer({ from: null }), { banking: rules })).to.deep.equal([]);
    expect(runModule(requiredClaims, transfer({ to: party(BOB, { attestation: bad }) }), { banking: {} })).to.deep.equal([]);
  });
});
