import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concatBytes } from '../bytes.js';
import { fail, VerifyFailureReasons, type VerifyFailureReason } from './verifyResult.js';

/** Result of recovering a secp256k1 public key from a recoverable signature. */
export type Recovery =
  | { ok: true; publicKey: Uint8Array }
  | { ok: false; reason: VerifyFailureReason; message: string };

/**
 * Recovers the public key (compressed SEC1) that produced `r ‖ s` with recovery id `recid` over a
 * 32-byte digest. High-S signatures are refused unless `allowHighS`: Ethereum signers emit low-S
 * (EIP-2), and accepting both would give one statement two valid signature encodings; Bitcoin
 * message verifiers (Bitcoin Core) accept high-S and older wallets produced it, so BIP-137 allows it.
 *
 * noble v2 gotcha: its 'recovered' format puts the recovery byte first (recid ‖ r ‖ s), unlike
 * Ethereum (r ‖ s ‖ v) and Bitcoin (header ‖ r ‖ s, header ≠ recid), so callers pass parts.
 */
export function recoverSecp256k1(digest: Uint8Array, rs: Uint8Array, recid: number, allowHighS = false): Recovery {
  let signature;
  try {
    signature = secp256k1.Signature.fromBytes(concatBytes(Uint8Array.of(recid), rs), 'recovered');
  } catch {
    return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'r or s is out of range');
  }
  if (!allowHighS && signature.hasHighS()) return fail(VerifyFailureReasons.NON_CANONICAL_SIGNATURE, 'signature s is in the upper half of the curve order');
  try {
    return { ok: true, publicKey: signature.recoverPublicKey(digest).toBytes(true) };
  } catch {
    return fail(VerifyFailureReasons.SIGNATURE_MISMATCH, 'no public key recovers from this signature');
  }
}

/** Signs a 32-byte digest (RFC 6979, low-S) and returns the recovery id and `r ‖ s`. */
export function signSecp256k1Digest(digest: Uint8Array, privateKey: Uint8Array): { recid: number; rs: Uint8Array } {
  // prehash: false — the digest is already keccak/sha256d; noble v2 would otherwise sha256 it again.
  const sig = secp256k1.sign(digest, privateKey, { prehash: false, format: 'recovered' });
  return { recid: sig[0] as number, rs: sig.subarray(1) };
}
