import { expect } from 'chai';
import { RegistryContract } from '@kyc-ledger/chaincode';
import { callerOf, organizationalUnits } from '@kyc-ledger/chaincode/dist/caller';
import { bootstrapInput } from '../../support/attestationFixtures';
import { createTestCa, issueTestIdentity } from '../../support/bankPki';
import { rejection } from '../../support/rejection';
import { createStubContext } from '../../support/stubContext';

describe('chaincode caller: admin from the parsed certificate', function () {
  const ca = createTestCa('org1.example.com');
  // openssl's -subj takes `\/` for a `/` inside a value: the CN is literally `x/y/OU=admin`.
  const spoof = issueTestIdentity(ca, 'x\\/y\\/OU=admin', { ou: 'client' });
  const admin = issueTestIdentity(ca, 'Admin@org1.example.com', { ou: 'admin' });
  const client = issueTestIdentity(ca, 'User1@org1.example.com', { ou: 'client' });

  it('reads OU values from the subject, not from a DN string', function () {
    expect(organizationalUnits(Buffer.from(spoof.certificatePem))).to.deep.equal(['client']);
    expect(organizationalUnits(Buffer.from(admin.certificatePem))).to.deep.equal(['admin']);
  });

  it('a certificate whose CN is x/y/OU=admin is not an admin', function () {
    const stub = createStubContext('Org1MSP');
    stub.setCaller('Org1MSP', false, spoof.certificatePem);
    // fabric-shim's ID string for it does contain `/OU=admin`: the old DN-regex check was fooled.
    expect(callerOf(stub.ctx).isAdmin).to.equal(false);
    stub.setCaller('Org1MSP', false, admin.certificatePem);
    expect(callerOf(stub.ctx).isAdmin).to.equal(true);
    stub.setCaller('Org1MSP', false, client.certificatePem);
    expect(callerOf(stub.ctx).isAdmin).to.equal(false);
  });

  it('no certificate at all is FORBIDDEN, not a crash', function () {
    const stub = createStubContext('Org1MSP');
    stub.setCaller('Org1MSP', false, 'not a certificate');
    expect(() => callerOf(stub.ctx).isAdmin).to.throw().with.property('code', 'FORBIDDEN');
  });

  it('bootstrapping the registry with the spoofing certificate is refused', async function () {
    const stub = createStubContext('Bank1MSP');
    stub.setCaller('Bank1MSP', false, spoof.certificatePem);
    const error = await rejection(new RegistryContract().bootstrap(stub.ctx, bootstrapInput('kyc-ledger')));
    expect(error.code).to.equal('FORBIDDEN');
    expect(error.details).to.deep.equal({ mspId: 'Bank1MSP' });
    expect(stub.state.size).to.equal(0);
  });
});
