import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * Fast paths through Node's OpenSSL for the two schemes it can check directly (about 20–30 times
 * faster than the pure-JS code on our machines; verification is the hot spot of onboarding and of
 * bank verification). secp256k1 schemes need public-key recovery, which OpenSSL lacks, and stay
 * with @noble/curves. Deterministic: every peer runs the same check on the same bytes.
 */

const P256_COMPRESSED_SPKI_PREFIX = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');
/** The Ed25519 group order L; a signature's S must be below it (RFC 8032 §5.1.7). */
const ED25519_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
/** L as 32 little-endian bytes, the encoding S has in a signature. */
const ED25519_ORDER_LE = Buffer.from(ED25519_ORDER.toString(16).padStart(64, '0'), 'hex').reverse();
const CACHE_LIMIT = 10_000;
const keys = new Map<string, KeyObject>();

function cached(id: string, create: () => KeyObject): KeyObject {
  let key = keys.get(id);
  if (!key) {
    key = create();
    if (keys.size >= CACHE_LIMIT) keys.delete(keys.keys().next().value as string);
    keys.set(id, key);
  }
  return key;
}

/** A view, not a copy: this runs once per signature check. */
const base64url = (raw: Uint8Array) => Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url');

/**
 * An Ed25519 key from its 32 raw bytes. Imported as a JWK, which OpenSSL takes as a raw key: about
 * ten times cheaper than decoding the same key as DER, which bulk onboarding does once per person.
 */
function ed25519KeyObject(raw: Uint8Array): KeyObject {
  const x = base64url(raw);
  return cached(`ed25519:${x}`, () => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }));
}

function p256KeyObject(compressed: Uint8Array): KeyObject {
  return cached(`p256:${base64url(compressed)}`, () => createPublicKey({ key: Buffer.concat([P256_COMPRESSED_SPKI_PREFIX, compressed]), format: 'der', type: 'spki' }));
}

/**
 * True when the 32 little-endian bytes of `s` are a number below L, compared from the most
 * significant byte (cheaper than building a bigint on every check).
 */
function belowOrder(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = s[i] as number;
    const b = ED25519_ORDER_LE[i] as number;
    if (a !== b) return a < b;
  }
  return false;
}

/** Ed25519 (RFC 8032) over `message`; S must be canonical, as in strict verification. */
export function opensslVerifyEd25519(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  if (!belowOrder(signature.subarray(32))) return false;
  try {
    return verify(null, message, ed25519KeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/** ECDSA P-256 with SHA-256 over `data`, DER signature, compressed public key (high S accepted). */
export function opensslVerifyP256(data: Uint8Array, derSignature: Uint8Array, compressedPublicKey: Uint8Array): boolean {
  if (compressedPublicKey.length !== 33) return false;
  try {
    return verify('sha256', data, p256KeyObject(compressedPublicKey), derSignature);
  } catch {
    return false;
  }
}
