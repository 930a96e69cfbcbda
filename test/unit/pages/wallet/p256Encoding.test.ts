import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { expect } from 'chai';
import { loadPagesModule } from '../../../support/pagesModule';

interface P256Encoding {
  p1363ToDer(signature: Uint8Array): Uint8Array;
  derToP1363(der: Uint8Array): Uint8Array;
  compressP256(uncompressed: Uint8Array): Uint8Array;
}

describe('pages/wallet: P-256 encodings between WebCrypto and the verifier', function () {
  const { p1363ToDer, derToP1363, compressP256 } = loadPagesModule<P256Encoding>('wallet/p256Encoding');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  it('turns r‖s into the DER that OpenSSL verifies, for many signatures (leading zeros and high bits included)', function () {
    let sawShort = false;
    let sawPadded = false;
    // Until both rare shapes came up (a short integer: about 1 in 128 signatures), at most 20,000.
    for (let i = 0; i < 20_000 && !(i >= 200 && sawShort && sawPadded); i++) {
      const data = Buffer.from(`message ${i}`);
      const p1363 = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = p1363ToDer(p1363);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der), `signature ${i}`).to.equal(true);
      expect(Buffer.from(derToP1363(der)).equals(p1363)).to.equal(true);
      sawShort ||= der.length < 70;
      sawPadded ||= der[4] === 0;
    }
    expect(sawShort && sawPadded, 'the sample covers short and zero-padded integers').to.equal(true);
  });

  it('reads the DER signatures OpenSSL makes', function () {
    const data = Buffer.from('bank session');
    const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, derToP1363(der))).to.equal(true);
  });

  it('refuses malformed signatures', function () {
    expect(() => p1363ToDer(new Uint8Array(63))).to.throw(RangeError);
    const der = sign('sha256', Buffer.from('x'), { key: privateKey, dsaEncoding: 'der' });
    expect(() => derToP1363(Buffer.concat([der, Buffer.of(0)]))).to.throw(RangeError, /SEQUENCE|trailing/);
    expect(() => derToP1363(Buffer.from([0x30, 6, 2, 1, 0x80, 2, 1, 1]))).to.throw(RangeError, /negative/);
    expect(() => derToP1363(Buffer.from([0x30, 7, 2, 2, 0, 1, 2, 1, 1]))).to.throw(RangeError, /non-minimal/);
  });

  it('compresses a raw public key as SEC1 does', function () {
    for (let i = 0; i < 20; i++) {
      const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
      const jwk = key.export({ format: 'jwk' });
      const raw = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x as string, 'base64url'), Buffer.from(jwk.y as string, 'base64url')]);
      const compressed = compressP256(raw);
      const spki = Buffer.concat([Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'), compressed]);
      expect(createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'jwk' })).to.deep.equal(jwk);
    }
    expect(() => compressP256(new Uint8Array(33))).to.throw(RangeError);
  });
});
