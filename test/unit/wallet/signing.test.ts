import { expect } from 'chai';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { KeyKinds, parseAccountId, statementDigest, verifyStatementSignature } from '@kyc-ledger/crypto';
import { commit, createKey, expectedAttestationId, importKey, listKeys, openWallet, requestAttestation, signOfficerApproval, type Wallet } from '@kyc-ledger/wallet';
import { expectWalletError, NETWORK, PERSON, tempDir } from './walletFixtures';

describe('wallet: keys and signed requests', () => {
  let dir: string;
  let wallet: Wallet;

  beforeEach(async () => {
    dir = tempDir();
    wallet = await openWallet({ path: path.join(dir, 'wallet.json'), insecurePlaintext: true, create: true });
    await commit(wallet, { fields: PERSON, label: 'me' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const kind of KeyKinds) {
    it(`a ${kind} key signs an attestation request that verifyStatementSignature accepts`, async () => {
      const key = await createKey(wallet, { kind });
      expect(key.label).to.equal(`${kind}-1`);
      const result = await requestAttestation(wallet, { key: key.label, certifier: 'Certifier1MSP', claimTopics: ['identity', 'address', 'identity'], network: NETWORK, commitment: 'me' });
      const { request, statement } = result;
      expect(request.subject).to.equal(key.accountId);
      expect(request.claimTopics).to.deep.equal(['address', 'identity']);
      expect(request.fieldNames).to.deep.equal(Object.keys(PERSON).sort());
      expect(request.commitmentRoot).to.equal(wallet.findCommitment('me').root);
      expect(statement).to.include({ purpose: 'attestation-request', network: NETWORK, address: key.accountId, certifier: 'Certifier1MSP', chain: parseAccountId(key.accountId).chainId });
      const verified = verifyStatementSignature(statement, request.subjectSignature, { network: NETWORK, purpose: 'attestation-request' });
      expect(verified, JSON.stringify(verified)).to.deep.equal({ ok: true, address: key.accountId });
      expect(result.attestationId).to.equal(expectedAttestationId('Certifier1MSP', key.accountId, request.commitmentRoot));
      // The same request for another network does not verify there.
      expect(verifyStatementSignature(statement, request.subjectSignature, { network: 'kyc-ledger/other' })).to.include({ ok: false, reason: 'NETWORK_MISMATCH' });
    });
  }

  it('signs with another scheme of the key kind when asked (eip191)', async () => {
    const key = await createKey(wallet, { kind: 'secp256k1', chain: 'eip155:137', label: 'polygon' });
    expect(key.accountId).to.match(/^eip155:137:0x/);
    const { request, statement } = await requestAttestation(wallet, { key: key.accountId, certifier: 'Certifier1MSP', claimTopics: ['identity'], network: NETWORK, commitment: 'me', scheme: 'eip191' });
    expect(request.subjectSignature.scheme).to.equal('eip191');
    expect(verifyStatementSignature(statement, request.subjectSignature).ok).to.equal(true);
    await expectWalletError(requestAttestation(wallet, { key: 'polygon', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: NETWORK, commitment: 'me', scheme: 'ed25519' }), 'UNSUPPORTED_SCHEME');
  });

  it('imports a known key and finds it by label or account id', async () => {
    const key = await importKey(wallet, { kind: 'secp256k1', privateKey: '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318', label: 'known' });
    expect(key.accountId).to.equal('eip155:1:0x2c7536E3605D9C16a7a3D7b1898e529396a65c23');
    expect(wallet.findKey('eip155:1:0x2c7536e3605d9c16a7a3d7b1898e529396a65c23').label).to.equal('known');
    expect(listKeys(wallet).map((k) => k.label)).to.deep.equal(['known']);
    expect(() => wallet.findKey('nobody')).to.throw().with.property('code', 'KEY_NOT_FOUND');
  });

  it('refuses bad requests with coded errors', async () => {
    await createKey(wallet, { kind: 'ed25519', label: 'k' });
    const base = { key: 'k', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: NETWORK, commitment: 'me' };
    await expectWalletError(requestAttestation(wallet, { ...base, key: 'missing' }), 'KEY_NOT_FOUND');
    await expectWalletError(requestAttestation(wallet, { ...base, commitment: 'missing' }), 'COMMITMENT_NOT_FOUND');
    await expectWalletError(requestAttestation(wallet, { ...base, network: 'Not A Network' }), 'INVALID_ARGUMENT');
    await expectWalletError(requestAttestation(wallet, { ...base, claimTopics: [] }), 'INVALID_ARGUMENT');
    await expectWalletError(requestAttestation(wallet, { ...base, certifier: 'bad msp!' }), 'INVALID_STATEMENT');
  });

  it('signs officer-approval statements for a registration digest', async () => {
    for (const kind of ['secp256k1', 'p256'] as const) {
      const key = await createKey(wallet, { kind, label: `officer-${kind}` });
      const digest = `0x${'AB'.repeat(32)}`;
      const result = signOfficerApproval(wallet, { key: key.label, asset: 'BOND-2030', digest, network: NETWORK });
      expect(result.statement).to.include({ purpose: 'officer-approval', asset: 'BOND-2030', registrationDigest: 'ab'.repeat(32), address: key.accountId });
      expect(result.statementDigest).to.equal(statementDigest(result.statement));
      expect(verifyStatementSignature(result.statement, result.signature, { network: NETWORK, purpose: 'officer-approval' }).ok).to.equal(true);
    }
    expect(() => signOfficerApproval(wallet, { key: 'officer-p256', asset: 'BOND-2030', digest: 'abc', network: NETWORK })).to.throw().with.property('code', 'INVALID_ARGUMENT');
    expect(() => signOfficerApproval(wallet, { key: 'officer-p256', asset: '', digest: 'ab'.repeat(32), network: NETWORK })).to.throw().with.property('code', 'INVALID_STATEMENT');
  });
});
