import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, decodeHex, utf8ToBytes } from '../bytes.js';
import { ethereumAddressFromPublicKey } from '../ethereumAddress.js';
import { recoverSecp256k1, signSecp256k1Digest } from './secp256k1Recovery.js';
import { fail, VerifyFailureReasons, type VerifyResult } from './verifyResult.js';

const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/** EIP-191 version 0x45 (personal_sign) digest: keccak256("\x19Ethereum Signed Message:\n" ‖ len ‖ message). */
export function personalMessageDigest(message: Uint8Array): Uint8Array {
  const prefix = utf8ToBytes(`\x19Ethereum Signed Message:\n${message.length}`);
  return keccak_256(concatBytes(prefix, message));
}

/** Ethereum signature text `0x r ‖ s ‖ v` with v = 27 + recovery id. */
export function encodeEthereumSignature(recid: number, rs: Uint8Array): string {
  return `0x${bytesToHex(rs)}${(27 + recid).toString(16)}`;
}

/**
 * Recovers the EIP-55 address that signed `digest` with an Ethereum `0x r ‖ s ‖ v` signature
 * (v 27/28 or 0/1). Never throws.
 */
export function recoverEthereumSigner(digest: Uint8Array, signature: string): VerifyResult {
  if (!SIGNATURE.test(signature)) {
    return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'Ethereum signature must be 0x followed by 65 bytes of hex');
  }
  const bytes = decodeHex(signature, 'signature', 65, true);
  const v = bytes[64] as number;
  const recid = v >= 27 ? v - 27 : v;
  if (recid !== 0 && recid !== 1) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, `v must be 27, 28, 0 or 1, got ${v}`);
  const recovered = recoverSecp256k1(digest, bytes.subarray(0, 64), recid);
  if (!recovered.ok) return recovered;
  return { ok: true, address: ethereumAddressFromPublicKey(recovered.uncompressedPublicKey) };
}

/** personal_sign of `message` with a secp256k1 private key. */
export function signPersonalMessage(message: Uint8Array, privateKey: Uint8Array): string {
  const { recid, rs } = signSecp256k1Digest(personalMessageDigest(message), privateKey);
  return encodeEthereumSignature(recid, rs);
}

/** Recovers the signer of a personal_sign signature over `message`. Never throws. */
export function recoverPersonalMessageSigner(message: Uint8Array, signature: string): VerifyResult {
  return recoverEthereumSigner(personalMessageDigest(message), signature);
}
