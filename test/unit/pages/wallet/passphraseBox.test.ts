import type { webcrypto } from 'node:crypto';
import { expect } from 'chai';
import { loadPagesModule } from '../../../support/pagesModule';

interface KdfParams {
  algorithm: 'PBKDF2-SHA-256';
  iterations: number;
  salt: string;
}
interface Sealed {
  iv: string;
  ciphertext: string;
}
interface PassphraseBox {
  PBKDF2_ITERATIONS: number;
  newKdfParams(iterations?: number): KdfParams;
  deriveBoxKey(passphrase: string, params: KdfParams): Promise<webcrypto.CryptoKey>;
  seal(key: webcrypto.CryptoKey, label: string, value: unknown): Promise<Sealed>;
  open<T>(key: webcrypto.CryptoKey, label: string, sealed: Sealed): Promise<T>;
}

describe('pages/wallet: the passphrase box (PBKDF2-SHA-256 → AES-256-GCM, WebCrypto)', function () {
  const box = loadPagesModule<PassphraseBox>('wallet/passphraseBox');
  const bundle = { values: { givenName: 'Élodie', familyName: 'Zwahlen' }, salts: { givenName: '00'.repeat(32) } };

  it('derives with the stored parameters and opens what it sealed; the ciphertext does not show the values', async function () {
    const params = box.newKdfParams();
    expect(params.iterations).to.equal(box.PBKDF2_ITERATIONS).and.to.be.at.least(600_000);
    expect(Buffer.from(params.salt, 'base64')).to.have.length(16);
    const key = await box.deriveBoxKey('correct horse battery', params);
    expect(key.extractable).to.equal(false);
    const sealed = await box.seal(key, 'bundle', bundle);
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.to.contain('Zwahlen');
    expect(await box.open(await box.deriveBoxKey('correct horse battery', params), 'bundle', sealed)).to.deep.equal(bundle);
    const again = await box.seal(key, 'bundle', bundle);
    expect(again.iv).not.to.equal(sealed.iv);
  });

  it('refuses a wrong passphrase, another salt, another label and an altered ciphertext with BAD_PASSPHRASE', async function () {
    const params = box.newKdfParams(100_000);
    const key = await box.deriveBoxKey('correct horse battery', params);
    const sealed = await box.seal(key, 'bundle', bundle);
    const codeOf = (p: Promise<unknown>) => p.then(() => 'opened', (e: { code?: string }) => e.code);
    expect(await codeOf(box.open(await box.deriveBoxKey('correct horse batterz', params), 'bundle', sealed))).to.equal('BAD_PASSPHRASE');
    expect(await codeOf(box.open(await box.deriveBoxKey('correct horse battery', box.newKdfParams(100_000)), 'bundle', sealed))).to.equal('BAD_PASSPHRASE');
    expect(await codeOf(box.open(key, 'check', sealed))).to.equal('BAD_PASSPHRASE');
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = (bytes[0] as number) ^ 1;
    expect(await codeOf(box.open(key, 'bundle', { ...sealed, ciphertext: bytes.toString('base64') }))).to.equal('BAD_PASSPHRASE');
  });

  it('refuses stored parameters that would weaken the key', async function () {
    const weak = { ...box.newKdfParams(), iterations: 1000 };
    await box.deriveBoxKey('correct horse battery', weak).then(
      () => expect.fail('derived'),
      (e: Error) => expect(e).to.be.instanceOf(RangeError),
    );
  });
});
