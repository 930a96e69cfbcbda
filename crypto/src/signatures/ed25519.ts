import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, decodeHex } from '../bytes.js';
import { opensslVerifyEd25519 } from './openssl.js';
import { fail, VerifyFailureReasons, type VerifyFailureReason } from './verifyResult.js';

const SIGNATURE = /^[0-9a-fA-F]{128}$/;

/** Ed25519 signature (RFC 8032, deterministic) over the raw message; 64 bytes hex. */
export function signEd25519(message: Uint8Array, seed: Uint8Array): string {
  return bytesToHex(ed25519.sign(message, seed));
}

/**
 * Verifies an Ed25519 signature (through OpenSSL, see openssl.ts) with a canonical S, so each
 * (key, message) has one valid encoding per signature. Addresses with small-order or off-curve
 * keys are already refused when parsed.
 */
export function verifyEd25519(
  message: Uint8Array,
  signature: string,
  publicKey: Uint8Array,
): { ok: true } | { ok: false; reason: VerifyFailureReason; message: string } {
  if (!SIGNATURE.test(signature)) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'ed25519 signature must be 64 bytes of hex');
  const valid = opensslVerifyEd25519(message, decodeHex(signature, 'signature', 64), publicKey);
  return valid ? { ok: true } : fail(VerifyFailureReasons.SIGNATURE_MISMATCH, 'ed25519 signature does not verify');
}
