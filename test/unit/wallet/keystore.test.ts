import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWallet, SCRYPT_PARAMS, type Wallet } from '@kyc-ledger/wallet';
import { expectWalletError, PERSON } from './walletFixtures';

const PASSPHRASE = 'correct horse battery staple';

describe('wallet: keystore', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kyc-wallet-'));
    file = path.join(dir, 'nested', 'wallet.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function populated(): Promise<{ wallet: Wallet; accountId: string; privateKey: string }> {
    const wallet = await openWallet({ path: file, passphrase: PASSPHRASE, create: true });
    const privateKey = '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
    const key = await wallet.importKey({ kind: 'secp256k1', privateKey, label: 'main' });
    await wallet.commit({ fields: PERSON, label: 'me' });
    return { wallet, accountId: key.accountId, privateKey };
  }

  it('round-trips keys and commitments through the encrypted file', async () => {
    const { accountId } = await populated();
    const reopened = await openWallet({ path: file, passphrase: PASSPHRASE });
    expect(reopened.encrypted).to.equal(true);
    expect(reopened.unlocked).to.equal(true);
    expect(reopened.listKeys().map((k) => [k.label, k.kind, k.accountId])).to.deep.equal([['main', 'secp256k1', accountId]]);
    expect(reopened.listCommitments().map((c) => c.label)).to.deep.equal(['me']);
    // The secrets open again: signing needs the private key, and a request re-seals the bundle.
    const request = await reopened.requestAttestation({ key: 'main', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: 'kyc-ledger/kyc', commitment: 'me' });
    expect(request.request.subject).to.equal(accountId);
    const again = await openWallet({ path: file, passphrase: PASSPHRASE });
    expect(again.findCommitment('me').requests).to.have.length(1);
    expect(() => again.signOfficerApproval({ key: 'main', asset: 'BOND-1', digest: 'ab'.repeat(32), network: 'kyc-ledger/kyc' })).not.to.throw();
  });

  it('stores scrypt parameters and no secret in the clear', async () => {
    const { privateKey } = await populated();
    const text = readFileSync(file, 'utf8');
    const content = JSON.parse(text);
    expect(content.format).to.equal('kyc-ledger-wallet');
    expect(content.protection.mode).to.equal('scrypt-aes-256-gcm');
    expect(content.protection.kdf).to.include({ name: 'scrypt', N: SCRYPT_PARAMS.N, r: 8, p: 1, dkLen: 32 });
    expect(SCRYPT_PARAMS.N).to.equal(2 ** 15);
    expect(text).not.to.contain(privateKey);
    // Quoted, so that a short value ("CH") cannot match inside base64 by chance.
    for (const value of Object.values(PERSON)) expect(text).not.to.contain(JSON.stringify(value));
    expect(text).not.to.contain('Müller');
    expect(content.keys[0].secret.sealed).to.have.keys('iv', 'ciphertext', 'tag');
  });

  it('refuses a wrong passphrase with BAD_PASSPHRASE', async () => {
    await populated();
    await expectWalletError(openWallet({ path: file, passphrase: 'not the passphrase' }), 'BAD_PASSPHRASE');
  });

  it('opens locked without a passphrase: lists, but signing needs PASSPHRASE_REQUIRED', async () => {
    await populated();
    const locked = await openWallet({ path: file });
    expect(locked.unlocked).to.equal(false);
    expect(locked.listKeys()).to.have.length(1);
    expect(() => locked.signOfficerApproval({ key: 'main', asset: 'BOND-1', digest: 'ab'.repeat(32), network: 'kyc-ledger/kyc' })).to.throw().with.property('code', 'PASSPHRASE_REQUIRED');
    await expectWalletError(locked.createKey({ kind: 'ed25519' }), 'PASSPHRASE_REQUIRED');
  });

  it('needs a passphrase of at least 8 characters for a new wallet', async () => {
    await expectWalletError(openWallet({ path: file, create: true }), 'PASSPHRASE_REQUIRED');
    await expectWalletError(openWallet({ path: file, passphrase: 'short', create: true }), 'WEAK_PASSPHRASE');
    await expectWalletError(openWallet({ path: file, passphrase: PASSPHRASE }), 'WALLET_NOT_FOUND');
  });

  it('writes the file 0600 in a 0700 directory and refuses a file other users can read', async function () {
    if (process.platform === 'win32') this.skip();
    await populated();
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).to.equal(0o700);
    chmodSync(file, 0o644);
    await expectWalletError(openWallet({ path: file, passphrase: PASSPHRASE }), 'WALLET_INSECURE_PERMISSIONS');
    chmodSync(file, 0o600);
    const wallet = await openWallet({ path: file, passphrase: PASSPHRASE });
    await wallet.createKey({ kind: 'ed25519' });
    expect(statSync(file).mode & 0o777).to.equal(0o600);
  });

  it('detects edited public metadata (bound to the sealed secret) with WALLET_CORRUPT', async () => {
    const { wallet: w } = await populated();
    const other = await w.createKey({ kind: 'secp256k1', label: 'other' });
    const content = JSON.parse(readFileSync(file, 'utf8'));
    // Swap the account of "main" for the other key's: the private key no longer matches.
    content.keys[0].accountId = other.accountId;
    content.keys[0].publicKey = other.publicKey;
    content.commitments[0].fieldNames = ['givenName'];
    writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
    const wallet = await openWallet({ path: file, passphrase: PASSPHRASE });
    expect(() => wallet.signOfficerApproval({ key: 'main', asset: 'BOND-1', digest: 'ab'.repeat(32), network: 'kyc-ledger/kyc' })).to.throw().with.property('code', 'WALLET_CORRUPT');
    await expectWalletError(
      wallet.requestAttestation({ key: 'other', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: 'kyc-ledger/kyc', commitment: 'me' }),
      'WALLET_CORRUPT',
    );
  });

  it('refuses files that are not wallets with WALLET_CORRUPT', async () => {
    const bad = path.join(dir, 'bad.json');
    for (const text of ['not json', '[]', '{"format":"kyc-ledger-wallet","version":2}', JSON.stringify({ format: 'kyc-ledger-wallet', version: 1, protection: { mode: 'none' }, keys: [], commitments: [] })]) {
      writeFileSync(bad, text, { mode: 0o600 });
      await expectWalletError(openWallet({ path: bad, passphrase: PASSPHRASE }), 'WALLET_CORRUPT');
    }
  });

  it('keeps insecure-plaintext wallets apart: they only open with the flag, and encrypted ones never with it', async () => {
    const plain = path.join(dir, 'plain.json');
    const wallet = await openWallet({ path: plain, insecurePlaintext: true, create: true });
    expect(wallet.encrypted).to.equal(false);
    await wallet.createKey({ kind: 'p256', label: 'pk' });
    expect(JSON.parse(readFileSync(plain, 'utf8')).protection).to.deep.equal({ mode: 'insecure-plaintext' });
    await expectWalletError(openWallet({ path: plain }), 'WALLET_MODE_MISMATCH');
    await expectWalletError(openWallet({ path: plain, passphrase: PASSPHRASE }), 'WALLET_MODE_MISMATCH');
    expect((await openWallet({ path: plain, insecurePlaintext: true })).listKeys()).to.have.length(1);
    await populated();
    await expectWalletError(openWallet({ path: file, insecurePlaintext: true }), 'WALLET_MODE_MISMATCH');
  });

  it('refuses duplicate labels and accounts with KEY_EXISTS / COMMITMENT_EXISTS', async () => {
    const { wallet, privateKey } = await populated();
    await expectWalletError(wallet.createKey({ kind: 'ed25519', label: 'main' }), 'KEY_EXISTS');
    await expectWalletError(wallet.importKey({ kind: 'secp256k1', privateKey, label: 'again' }), 'KEY_EXISTS');
    await expectWalletError(wallet.commit({ fields: PERSON, label: 'me' }), 'COMMITMENT_EXISTS');
    await expectWalletError(wallet.createKey({ kind: 'ed25519', label: 'bad label' }), 'INVALID_ARGUMENT');
    await expectWalletError(wallet.createKey({ kind: 'rsa' }), 'INVALID_ARGUMENT');
    await expectWalletError(wallet.importKey({ kind: 'ed25519', privateKey: 'xyz' }), 'INVALID_PRIVATE_KEY');
    await expectWalletError(wallet.commit({ fields: { birthDate: '2023-02-30' } }), 'INVALID_FIELD_VALUE');
  });
});
