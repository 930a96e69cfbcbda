import type { webcrypto } from 'node:crypto';
import { expect } from 'chai';
import { parseAccountId, verifyStatementSignature, type SignatureEnvelope, type Statement } from '@kyc-ledger/crypto';
import { expectedAttestationId } from '@kyc-ledger/wallet';
import { loadPagesModule } from '../../../support/pagesModule';

interface PasskeyIdentity {
  privateKey: webcrypto.CryptoKey;
  publicKey: string;
  accountId: string;
}
interface PasskeySigner {
  createPasskey(): Promise<PasskeyIdentity>;
  signWithPasskey(statement: Statement, identity: PasskeyIdentity, context: { origin: string; rpId: string }): Promise<SignatureEnvelope>;
}
interface AttestationRequestModule {
  buildAttestationRequest(
    opts: { accountId: string; certifier: string; network: string; claimTopics: readonly string[]; commitmentRoot: string; fieldNames: readonly string[] },
    sign: (statement: Statement) => Promise<SignatureEnvelope>,
  ): Promise<{ request: { subject: string; commitmentRoot: string; fieldNames: string[]; claimTopics: string[]; subjectSignature: SignatureEnvelope }; attestationId: string }>;
}

describe('pages/wallet: the non-extractable passkey key and its p256-webauthn signatures', function () {
  const signer = loadPagesModule<PasskeySigner>('wallet/passkeySigner');
  const { buildAttestationRequest } = loadPagesModule<AttestationRequestModule>('wallet/attestationRequest');
  const context = { origin: 'http://127.0.0.1:38080', rpId: '127.0.0.1' };
  const root = 'ab'.repeat(32);

  it('makes a passkey:p256 account whose private key WebCrypto will not export', async function () {
    const identity = await signer.createPasskey();
    expect(identity.privateKey.extractable).to.equal(false);
    await crypto.subtle.exportKey('pkcs8', identity.privateKey).then(
      () => expect.fail('exported'),
      () => undefined,
    );
    const account = parseAccountId(identity.accountId);
    expect(account.chainId).to.equal('passkey:p256');
    expect(Buffer.from(account.publicKey as Uint8Array).toString('hex')).to.equal(identity.publicKey);
  });

  it('signs the attestation request as the Node wallet does: the project verifier accepts it, the id matches', async function () {
    const identity = await signer.createPasskey();
    const network = 'kyc-ledger/kyc';
    const result = await buildAttestationRequest(
      { accountId: identity.accountId, certifier: 'Certifier1MSP', network, claimTopics: ['identity', 'aml', 'identity'], commitmentRoot: root, fieldNames: ['givenName', 'familyName'] },
      (statement) => signer.signWithPasskey(statement, identity, context),
    );
    expect(result.request.claimTopics).to.deep.equal(['aml', 'identity']);
    expect(result.request.fieldNames).to.deep.equal(['familyName', 'givenName']);
    expect(result.attestationId).to.equal(expectedAttestationId('Certifier1MSP', identity.accountId, root));
    // The statement the certifier's chaincode rebuilds from the request.
    const statement = { domain: 'kyc-ledger', version: 1, purpose: 'attestation-request', network, chain: 'passkey:p256', address: identity.accountId, certifier: 'Certifier1MSP', claimTopics: ['aml', 'identity'], commitmentRoot: root };
    const verified = verifyStatementSignature(statement, result.request.subjectSignature, { network, purpose: 'attestation-request', webauthn: { origins: [context.origin], rpId: context.rpId } });
    expect(verified, JSON.stringify(verified)).to.deep.include({ ok: true });
    expect(verifyStatementSignature({ ...statement, commitmentRoot: 'cd'.repeat(32) }, result.request.subjectSignature)).to.deep.include({ ok: false });
  });

  it('will not sign a statement for another account', async function () {
    const [a, b] = [await signer.createPasskey(), await signer.createPasskey()];
    const statement = { domain: 'kyc-ledger', version: 1, purpose: 'attestation-request', network: 'kyc-ledger/kyc', chain: 'passkey:p256', address: b.accountId, certifier: 'Certifier1MSP', claimTopics: ['identity'], commitmentRoot: root } as Statement;
    await signer.signWithPasskey(statement, a, context).then(
      () => expect.fail('signed'),
      (e: Error) => expect(e.message).to.match(/not this wallet's account/),
    );
  });
});
