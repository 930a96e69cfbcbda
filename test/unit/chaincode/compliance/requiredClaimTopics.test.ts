import { expect } from 'chai';
import { securitiesModules, type SecuritiesRules } from '@kyc-ledger/chaincode/dist/compliance';
import { BOB, attestation, found, investor, party, runModule, transfer } from '../../../support/complianceFixtures';

describe('compliance module: requiredClaimTopics (securities)', function () {
  const { requiredClaimTopics } = securitiesModules;
  const rules: SecuritiesRules = { requiredClaimTopics: { byJurisdiction: { US: ['identity', 'accreditation'], '*': ['identity'] } } };
  const to = (jurisdiction: string, claimTopics: string[], valid = true) =>
    transfer({ to: party(BOB, { investor: investor({ jurisdiction }), attestation: attestation({ claimTopics, valid }) }) });

  it("requires the recipient's jurisdiction's own topics, which replace '*'", function () {
    expect(runModule(requiredClaimTopics, to('CH', ['identity']), { securities: rules })).to.deep.equal([]);
    const reasons = runModule(requiredClaimTopics, to('US', ['identity', 'address']), { securities: rules });
    expect(found(reasons)).to.deep.equal(['CLAIM_TOPICS_MISSING@to']);
    expect(reasons[0]?.details).to.deep.equal({ jurisdiction: 'US', missing: ['accreditation'], attestationValid: true });
    expect(runModule(requiredClaimTopics, to('US', ['identity', 'accreditation']), { securities: rules })).to.deep.equal([]);
  });

  it("counts no topics from an invalid attestation", function () {
    const reasons = runModule(requiredClaimTopics, to('CH', ['identity'], false), { securities: rules });
    expect(reasons[0]?.details).to.deep.equal({ jurisdiction: 'CH', missing: ['identity'], attestationValid: false });
  });

  it("requires nothing of an unlisted country when there is no '*'", function () {
    const usOnly: SecuritiesRules = { requiredClaimTopics: { byJurisdiction: { US: ['accreditation'] } } };
    expect(runModule(requiredClaimTopics, to('CH', []), { securities: usOnly })).to.deep.equal([]);
  });
});
