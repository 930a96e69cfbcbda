import { expect } from 'chai';
import {
  CryptoError,
  generateKey,
  importKey,
  parseAccountId,
  signStatement,
  verifyStatementSignature,
  type Key,
  type Statement,
  type VerifyResult,
} from '@kyc-ledger/crypto';

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function approval(key: Key): Statement {
  return {
    domain: 'kyc-ledger',
    version: 1,
    network: 'kyc-ledger/kyc',
    chain: parseAccountId(key.accountId).chainId,
    address: key.accountId,
    purpose: 'officer-approval',
    asset: 'bond-2030',
    registrationDigest: 'ab'.repeat(32),
  };
}

function reason(r: VerifyResult): string {
  return r.ok ? 'ok' : r.reason;
}

/** (r, s) → (r, n − s): the other valid ECDSA signature of the same message. */
function negateS(rs: Buffer, n: bigint): Buffer {
  const s = BigInt(`0x${rs.subarray(32, 64).toString('hex')}`);
  return Buffer.concat([rs.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]);
}

/** Minimal DER re-encoding of (r, s) for the P-256 high-S test. */
function der(r: bigint, s: bigint): Buffer {
  const int = (x: bigint): Buffer => {
    let b = Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
    while (b.length > 1 && b[0] === 0 && ((b[1] as number) & 0x80) === 0) b = b.subarray(1);
    if (((b[0] as number) & 0x80) !== 0) b = Buffer.concat([Buffer.of(0), b]);
    return Buffer.concat([Buffer.of(0x02, b.length), b]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
}

function derToRS(sig: Buffer): { r: bigint; s: bigint } {
  const rLen = sig[3] as number;
  const r = BigInt(`0x${sig.subarray(4, 4 + rLen).toString('hex')}`);
  const sLen = sig[5 + rLen] as number;
  const s = BigInt(`0x${sig.subarray(6 + rLen, 6 + rLen + sLen).toString('hex')}`);
  return { r, s };
}

describe('crypto: signature scheme details', () => {
  const eth = importKey('secp256k1', '11'.repeat(32));
  const btc = importKey('bitcoin-p2pkh', '22'.repeat(32));
  const passkey = importKey('p256', '33'.repeat(32));

  describe('eip191 / eip712', () => {
    it('accepts v as 0/1 as well as 27/28, and rejects other v', () => {
      const stmt = approval(eth);
      const env = signStatement(stmt, eth, 'eip191');
      const v = parseInt(env.signature.slice(-2), 16);
      const withV = (x: number): string => env.signature.slice(0, -2) + x.toString(16).padStart(2, '0');
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: withV(v - 27) }))).to.equal('ok');
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: withV(v + 10) }))).to.equal('INVALID_SIGNATURE_ENCODING');
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: withV(v === 27 ? 28 : 27) }))).to.equal('SIGNATURE_MISMATCH');
    });

    it('rejects the high-S twin of a valid signature', () => {
      const stmt = approval(eth);
      for (const scheme of ['eip191', 'eip712'] as const) {
        const env = signStatement(stmt, eth, scheme);
        const bytes = Buffer.from(env.signature.slice(2), 'hex');
        const v = bytes[64] as number;
        const twin = Buffer.concat([negateS(bytes.subarray(0, 64), SECP256K1_N), Buffer.of(v === 27 ? 28 : 27)]);
        expect(reason(verifyStatementSignature(stmt, { ...env, signature: `0x${twin.toString('hex')}` }))).to.equal('NON_CANONICAL_SIGNATURE');
      }
    });

    it('does not accept an eip191 signature as eip712 (or vice versa)', () => {
      const stmt = approval(eth);
      const env = signStatement(stmt, eth, 'eip191');
      expect(reason(verifyStatementSignature(stmt, { ...env, scheme: 'eip712' }))).to.equal('SIGNATURE_MISMATCH');
    });

    it('binds the chain: the same key on another eip155 chain does not verify', () => {
      const stmt = approval(eth);
      const polygon = `eip155:137:${parseAccountId(eth.accountId).address}`;
      for (const scheme of ['eip191', 'eip712'] as const) {
        const env = signStatement(stmt, eth, scheme);
        expect(reason(verifyStatementSignature({ ...stmt, chain: 'eip155:137', address: polygon }, env))).to.equal('SIGNATURE_MISMATCH');
      }
    });
  });

  describe('bip137', () => {
    it('rejects a header naming another address type than the address', () => {
      const stmt = approval(btc);
      const env = signStatement(stmt, btc);
      const bytes = Buffer.from(env.signature, 'base64');
      for (const delta of [-4, 4, 8]) {
        const other = Buffer.from(bytes);
        other[0] = (other[0] as number) + delta; // uncompressed P2PKH, P2SH-P2WPKH, P2WPKH
        expect(reason(verifyStatementSignature(stmt, { ...env, signature: other.toString('base64') }))).to.equal('SIGNATURE_MISMATCH');
      }
    });

    it('rejects header bytes outside 27-42 and accepts the high-S twin (as Bitcoin Core does)', () => {
      const stmt = approval(btc);
      const env = signStatement(stmt, btc);
      const bytes = Buffer.from(env.signature, 'base64');
      const bad = Buffer.from(bytes);
      bad[0] = 43;
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: bad.toString('base64') }))).to.equal('INVALID_SIGNATURE_ENCODING');
      const header = bytes[0] as number;
      const twinHeader = header - ((header - 27) & 3) + (((header - 27) & 3) ^ 1);
      const twin = Buffer.concat([Buffer.of(twinHeader), negateS(bytes.subarray(1), SECP256K1_N)]);
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: twin.toString('base64') }))).to.equal('ok');
    });

    it('works with P2WPKH keys on testnet (tb1q addresses)', () => {
      const key = generateKey('bitcoin-p2wpkh', { chain: 'bip122:000000000933ea01ad0ee984209779ba' });
      expect(key.accountId).to.match(/:tb1q/);
      const stmt = approval(key);
      expect(reason(verifyStatementSignature(stmt, signStatement(stmt, key)))).to.equal('ok');
    });
  });

  describe('ed25519', () => {
    const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;
    /** The signature with S replaced by `s` (little-endian, as RFC 8032 encodes it). */
    const withS = (signature: string, s: bigint) =>
      signature.slice(0, 64) + Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse().toString('hex');

    it('rejects S + L and S = L (only the canonical S verifies)', () => {
      const key = generateKey('ed25519');
      const stmt = approval(key);
      const env = signStatement(stmt, key);
      expect(reason(verifyStatementSignature(stmt, env))).to.equal('ok');
      const s = BigInt(`0x${Buffer.from(env.signature.slice(64), 'hex').reverse().toString('hex')}`);
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: withS(env.signature, s + ED25519_L) }))).to.equal('SIGNATURE_MISMATCH');
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: withS(env.signature, ED25519_L) }))).to.equal('SIGNATURE_MISMATCH');
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: withS(env.signature, ED25519_L - 1n) }))).to.equal('SIGNATURE_MISMATCH');
    });
  });

  describe('p256-webauthn', () => {
    const stmt = approval(passkey);

    it('accepts the high-S twin (authenticators do not normalise S)', () => {
      const env = signStatement(stmt, passkey);
      const { r, s } = derToRS(Buffer.from(env.signature, 'base64url'));
      const twin = der(r, P256_N - s).toString('base64url');
      expect(reason(verifyStatementSignature(stmt, { ...env, signature: twin }))).to.equal('ok');
    });

    it('requires webauthn.get, the user-present flag, and optional RP / origin / UV checks', () => {
      const env = signStatement(stmt, passkey);
      const w = env.webauthn as { authenticatorData: string; clientDataJSON: string };
      const client = JSON.parse(Buffer.from(w.clientDataJSON, 'base64url').toString('utf8')) as Record<string, unknown>;
      const create = Buffer.from(JSON.stringify({ ...client, type: 'webauthn.create' })).toString('base64url');
      expect(reason(verifyStatementSignature(stmt, { ...env, webauthn: { ...w, clientDataJSON: create } }))).to.equal('WEBAUTHN_TYPE_MISMATCH');

      const noUp = signStatement(stmt, passkey, 'p256-webauthn', { webauthn: { flags: 0x04 } });
      expect(reason(verifyStatementSignature(stmt, noUp))).to.equal('WEBAUTHN_USER_NOT_PRESENT');

      const noUv = signStatement(stmt, passkey, 'p256-webauthn', { webauthn: { flags: 0x01 } });
      expect(reason(verifyStatementSignature(stmt, noUv))).to.equal('ok');
      expect(reason(verifyStatementSignature(stmt, noUv, { webauthn: { requireUserVerification: true } }))).to.equal('WEBAUTHN_USER_NOT_VERIFIED');

      expect(reason(verifyStatementSignature(stmt, env, { webauthn: { rpId: 'kyc-ledger.local', origins: ['https://kyc-ledger.local'] } }))).to.equal('ok');
      expect(reason(verifyStatementSignature(stmt, env, { webauthn: { rpId: 'evil.example' } }))).to.equal('WEBAUTHN_RP_MISMATCH');
      expect(reason(verifyStatementSignature(stmt, env, { webauthn: { origins: ['https://bank.example'] } }))).to.equal('WEBAUTHN_ORIGIN_MISMATCH');
    });

    it('detects a changed authenticatorData and missing webauthn parts', () => {
      const env = signStatement(stmt, passkey);
      const w = env.webauthn as { authenticatorData: string; clientDataJSON: string };
      const auth = Buffer.from(w.authenticatorData, 'base64url');
      auth[36] = (auth[36] as number) ^ 1; // signCount
      expect(reason(verifyStatementSignature(stmt, { ...env, webauthn: { ...w, authenticatorData: auth.toString('base64url') } }))).to.equal('SIGNATURE_MISMATCH');
      expect(reason(verifyStatementSignature(stmt, { scheme: env.scheme, signature: env.signature }))).to.equal('INVALID_SIGNATURE_ENCODING');
      expect(reason(verifyStatementSignature(stmt, { ...env, webauthn: { ...w, authenticatorData: 'AAAA' } }))).to.equal('INVALID_SIGNATURE_ENCODING');
    });
  });

  describe('signStatement guards', () => {
    it('refuses a statement for another address, a scheme the key cannot use, and invalid statements', () => {
      const stmt = approval(eth);
      const expectCode = (fn: () => unknown, code: string): void => {
        try {
          fn();
        } catch (e) {
          expect(e).to.be.instanceOf(CryptoError);
          expect((e as CryptoError).code).to.equal(code);
          return;
        }
        expect.fail(`expected ${code}`);
      };
      expectCode(() => signStatement(stmt, importKey('secp256k1', '44'.repeat(32))), 'KEY_MISMATCH');
      expectCode(() => signStatement(stmt, eth, 'ed25519'), 'UNSUPPORTED_SCHEME');
      expectCode(() => signStatement({ ...stmt, network: 'Bad Network' }, eth), 'INVALID_STATEMENT');
    });
  });
});
