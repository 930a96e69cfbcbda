import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, decodeHex } from '../bytes.js';
import { fail, VerifyFailureReasons, type VerifyFailureReason } from './verifyResult.js';

const SIGNATURE = /^[0-9a-fA-F]{128}$/;

/** Ed25519 signature (RFC 8032, deterministic) over the raw message; 64 bytes hex. */
export function signEd25519(message: Uint8Array, seed: Uint8Array): string {
  return bytesToHex(ed25519.sign(message, seed));
}

/**
 * Verifies an Ed25519 signature with RFC 8032 strict rules (`zip215: false`): non-canonical
 * encodings are rejected, so each (key, message) has one valid encoding per signature.
 */
export function verifyEd25519(
  message: Uint8Array,
  signature: string,
  publicKey: Uint8Array,
): { ok: true } | { ok: false; reason: VerifyFailureReason; message: string } {
  if (!SIGNATURE.test(signature)) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'ed25519 signature must be 64 bytes of hex');
  let valid = false;
  try {
    valid = ed25519.verify(decodeHex(signature, 'signature', 64), message, publicKey, { zip215: false });
  } catch {
    // noble throws on some malformed encodings; for us that is simply not a valid signature.
  }
  return valid ? { ok: true } : fail(VerifyFailureReasons.SIGNATURE_MISMATCH, 'ed25519 signature does not verify');
}
