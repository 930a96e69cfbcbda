import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { RegistryContract } from '@kyc-ledger/chaincode';
import { bootstrapInput } from '../../support/attestationFixtures';
import { createTestBank, createTestCa, issueTestIdentity, type TestIdentity } from '../../support/bankPki';
import { rejection } from '../../support/rejection';
import { changeTypes } from '../../support/ledgerChanges';
import { createStubContext, type StubContext } from '../../support/stubContext';

describe('RegistryContract: bank session certificates (stubbed context)', function () {
  this.timeout(30_000);
  const registry = new RegistryContract();
  let stub: StubContext;
  let bank: { ca: TestIdentity; user: TestIdentity };
  let admin: TestIdentity;
  let otherCa: TestIdentity;
  let issuerAdmin: TestIdentity;

  /**
   * Calls as `mspId` presenting `identity`'s certificate, whose node OU agrees with `admin` (so
   * the caller is the same whether admin is read from the certificate or the stub's flag).
   */
  function as(mspId: string, identity: TestIdentity, admin: boolean): void {
    stub.setCaller(mspId, admin);
    (stub.ctx.clientIdentity as unknown as { getIDBytes: () => Uint8Array }).getIDBytes = () => Buffer.from(identity.certificatePem);
  }

  before(function () {
    bank = createTestBank('bank1.example.com');
    admin = issueTestIdentity(bank.ca, 'Admin@bank1.example.com', { ou: 'admin' });
    otherCa = createTestCa('bank2.example.com');
    issuerAdmin = issueTestIdentity(otherCa, 'Admin@issuer1.example.com', { ou: 'admin' });
  });

  beforeEach(async function () {
    stub = createStubContext();
    as('Bank1MSP', admin, true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.events.length = 0;
    stub.nextTx();
    // The test certificates are valid from now on; the ledger's clock must be inside that.
    stub.setTxTime(new Date(Date.now() + 60_000).toISOString());
  });

  const publish = (chain: string) => registry.setSessionCertificate(stub.ctx, JSON.stringify({ certificate: chain }));

  it('a bank admin publishes its signer certificate with its MSP CA; anyone reads it back', async function () {
    const stored = JSON.parse(await publish(bank.user.certificatePem + bank.ca.certificatePem)) as Record<string, string>;
    expect(stored).to.include({
      mspId: 'Bank1MSP',
      fingerprint256: new X509Certificate(bank.user.certificatePem).fingerprint256,
      caFingerprint256: new X509Certificate(bank.ca.certificatePem).fingerprint256,
    });
    expect(changeTypes(stub.events)).to.deep.equal([['SessionCertificateSet']]);
    as('Issuer1MSP', bank.user, false);
    const read = JSON.parse(await registry.getSessionCertificate(stub.ctx, 'Bank1MSP')) as Record<string, string>;
    expect(read.chain).to.include(new X509Certificate(bank.user.certificatePem).toString());
    expect((await rejection(registry.getSessionCertificate(stub.ctx, 'Bank2MSP'))).code).to.equal('NOT_FOUND');
  });

  it('refuses a non-admin, a non-bank, a chain from another CA and garbage, changing nothing', async function () {
    const good = bank.user.certificatePem + bank.ca.certificatePem;
    const before = new Map(stub.state);
    as('Bank1MSP', bank.user, false);
    expect((await rejection(publish(good))).code).to.equal('FORBIDDEN');
    as('Issuer1MSP', issuerAdmin, true);
    expect((await rejection(publish(good))).code).to.equal('FORBIDDEN');
    as('Bank1MSP', admin, true);
    // Consistent chain, but its CA did not issue the caller's certificate: not the bank's MSP CA.
    const foreign = issueTestIdentity(otherCa, 'User1@bank2.example.com');
    expect((await rejection(publish(foreign.certificatePem + otherCa.certificatePem))).code).to.equal('FORBIDDEN');
    // A signer not issued by the CA that follows it.
    expect((await rejection(publish(foreign.certificatePem + bank.ca.certificatePem))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(publish(bank.user.certificatePem))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(publish(bank.ca.certificatePem + bank.ca.certificatePem))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(publish('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' + bank.ca.certificatePem))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(registry.setSessionCertificate(stub.ctx, '{"certificate":1}'))).code).to.equal('INVALID_ARGUMENT');
    expect(stub.state).to.deep.equal(before);
    expect(stub.events).to.have.length(0);
  });

  it('rotates: a later publication replaces the earlier one', async function () {
    await publish(bank.user.certificatePem + bank.ca.certificatePem);
    stub.nextTx();
    const next = issueTestIdentity(bank.ca, 'User2@bank1.example.com');
    await publish(next.certificatePem + bank.ca.certificatePem);
    const read = JSON.parse(await registry.getSessionCertificate(stub.ctx, 'Bank1MSP')) as Record<string, string>;
    expect(read.fingerprint256).to.equal(new X509Certificate(next.certificatePem).fingerprint256);
  });
});
