import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { NetworkError, parseConfigSignature, signConfigUpdate, verifyConfigSignature } from '@kyc-ledger/network';
import { createTestCa, issueTestIdentity, type TestIdentity } from '../../support/bankPki';

describe('membership: a detached config signature, made and checked', function () {
  this.timeout(20000);
  let dir: string;
  let ca: TestIdentity;
  let admin: string;
  let client: string;
  let foreignAdmin: string;
  const update = Buffer.from('the add-bank3 update bytes');

  /** An admin MSP directory as cryptogen lays it out: the certificate in signcerts, the key in keystore. */
  function mspDir(name: string, identity: TestIdentity): string {
    const root = path.join(dir, name);
    mkdirSync(path.join(root, 'signcerts'), { recursive: true });
    mkdirSync(path.join(root, 'keystore'), { recursive: true });
    writeFileSync(path.join(root, 'signcerts', 'cert.pem'), identity.certificatePem);
    writeFileSync(path.join(root, 'keystore', 'priv_sk'), identity.privateKeyPem);
    return root;
  }

  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'kyc-configsig-'));
    ca = createTestCa('bank1.example.com');
    admin = mspDir('admin', issueTestIdentity(ca, 'Admin@bank1.example.com', { ou: 'admin' }));
    client = mspDir('client', issueTestIdentity(ca, 'User1@bank1.example.com', { ou: 'client' }));
    foreignAdmin = mspDir('foreign', issueTestIdentity(createTestCa('bank1.example.com'), 'Admin@bank1.example.com', { ou: 'admin' }));
  });
  after(function () { rmSync(dir, { recursive: true, force: true }); });

  const check = async (msp: string, signed: Uint8Array, checked: Uint8Array) => {
    const { signature, signer } = parseConfigSignature(await signConfigUpdate(signed, 'Bank1MSP', msp), 'bank1.sig');
    expect(signer.mspId).to.equal('Bank1MSP');
    verifyConfigSignature(signature, signer, checked, [ca.certificatePem], 'bank1.sig');
  };
  const refusal = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(NetworkError).with.property('code', 'SIGNATURE_INVALID');
      return (error as Error).message;
    }
    throw new Error('expected SIGNATURE_INVALID');
  };

  it('accepts an admin\'s signature over this very update', async function () {
    await check(admin, update, update);
  });

  it('refuses it over another update', async function () {
    expect(await refusal(check(admin, update, Buffer.from('another update')))).to.match(/does not sign this update/);
  });

  it('refuses a signer who is not an admin (client OU)', async function () {
    expect(await refusal(check(client, update, update))).to.match(/not an admin of Bank1MSP/);
  });

  it('refuses an admin certificate from another CA with the same name', async function () {
    expect(await refusal(check(foreignAdmin, update, update))).to.match(/not issued by Bank1MSP's CA/);
  });

  it('gives two signatures of the same update distinct nonces', async function () {
    const [a, b] = await Promise.all([signConfigUpdate(update, 'Bank1MSP', admin), signConfigUpdate(update, 'Bank1MSP', admin)]);
    expect(Buffer.compare(parseConfigSignature(a, 'a').signature.getSignatureHeader_asU8(), parseConfigSignature(b, 'b').signature.getSignatureHeader_asU8())).to.not.equal(0);
  });
});
