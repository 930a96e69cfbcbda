import { expect } from 'chai';
import { isAlreadyApproved } from '@kyc-ledger/network/dist/lifecycle';

describe('idempotent chaincode approval', function () {
  it('takes Fabric\'s "unchanged content" refusal as an approval already on the ledger, nothing else', function () {
    expect(isAlreadyApproved(new Error("Error: proposal failed with status: 500 - failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': attempted to redefine uncommitted sequence (2) for namespace kyc with unchanged content"))).to.equal(true);
    expect(isAlreadyApproved(new Error("failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': currently defined sequence 3 is larger than requested sequence 2"))).to.equal(false);
    expect(isAlreadyApproved(new Error('attempted to redefine the current committed sequence (2) for namespace kyc with unchanged content'))).to.equal(false);
  });
});
