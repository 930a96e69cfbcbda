import { secp256k1 } from '@noble/curves/secp256k1.js';
import { recover as libsecp256k1Recover } from 'tiny-secp256k1';
import { concatBytes } from '../bytes.js';
import { fail, VerifyFailureReasons, type VerifyFailureReason } from './verifyResult.js';

/** Result of recovering a secp256k1 public key from a recoverable signature. */
export type Recovery =
  | { ok: true; publicKey: Uint8Array; uncompressedPublicKey: Uint8Array }
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
  // Recovery itself runs in libsecp256k1 (WebAssembly, via tiny-secp256k1): about six times
  // faster than the pure-JS curve here, and recovery is the cost of every Ethereum and Bitcoin
  // signature check. noble above has already parsed and range-checked r and s.
  let uncompressed: Uint8Array | null = null;
  try {
    uncompressed = libsecp256k1Recover(digest, rs, recid as 0 | 1 | 2 | 3, false);
  } catch {
    uncompressed = null;
  }
  if (!uncompressed) return fail(VerifyFailureReasons.SIGNATURE_MISMATCH, 'no public key recovers from this signature');
  return { ok: true, publicKey: compress(uncompressed), uncompressedPublicKey: uncompressed };
}

/** SEC1 compression of an uncompressed point: the parity of y picks the prefix (no curve math). */
function compress(uncompressed: Uint8Array): Uint8Array {
  const compressed = new Uint8Array(33);
  compressed[0] = ((uncompressed[64] as number) & 1) === 0 ? 0x02 : 0x03;
  compressed.set(uncompressed.subarray(1, 33), 1);
  return compressed;
}

/** Signs a 32-byte digest (RFC 6979, low-S) and returns the recovery id and `r ‖ s`. */
export function signSecp256k1Digest(digest: Uint8Array, privateKey: Uint8Array): { recid: number; rs: Uint8Array } {
  // prehash: false — the digest is already keccak/sha256d; noble v2 would otherwise sha256 it again.
  const sig = secp256k1.sign(digest, privateKey, { prehash: false, format: 'recovered' });
  return { recid: sig[0] as number, rs: sig.subarray(1) };
}
