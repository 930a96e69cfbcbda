import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * Fast paths through Node's OpenSSL for the two schemes it can check directly (about 20–30 times
 * faster than the pure-JS code on our machines; verification is the hot spot of onboarding and of
 * bank verification). secp256k1 schemes need public-key recovery, which OpenSSL lacks, and stay
 * with @noble/curves. Deterministic: every peer runs the same check on the same bytes.
 */

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const P256_COMPRESSED_SPKI_PREFIX = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');
/** The Ed25519 group order L; a signature's S must be below it (RFC 8032 §5.1.7). */
const ED25519_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
/** L as 32 little-endian bytes, the encoding S has in a signature. */
const ED25519_ORDER_LE = Buffer.from(ED25519_ORDER.toString(16).padStart(64, '0'), 'hex').reverse();
const CACHE_LIMIT = 10_000;
const keys = new Map<string, KeyObject>();

function keyObject(prefix: Buffer, raw: Uint8Array): KeyObject {
  // A view, not a copy: this runs once per signature check.
  const id = `${prefix.length}:${Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64')}`;
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([prefix, raw]), format: 'der', type: 'spki' });
    if (keys.size >= CACHE_LIMIT) keys.delete(keys.keys().next().value as string);
    keys.set(id, key);
  }
  return key;
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
    return verify(null, message, keyObject(ED25519_SPKI_PREFIX, publicKey), signature);
  } catch {
    return false;
  }
}

/** ECDSA P-256 with SHA-256 over `data`, DER signature, compressed public key (high S accepted). */
export function opensslVerifyP256(data: Uint8Array, derSignature: Uint8Array, compressedPublicKey: Uint8Array): boolean {
  if (compressedPublicKey.length !== 33) return false;
  try {
    return verify('sha256', data, keyObject(P256_COMPRESSED_SPKI_PREFIX, compressedPublicKey), derSignature);
  } catch {
    return false;
  }
}
