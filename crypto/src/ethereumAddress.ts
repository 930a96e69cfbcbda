import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from './bytes.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** EIP-55 mixed-case checksum encoding of a 20-byte address given as 40 hex digits. */
export function checksumAddress(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i] as string;
    // A letter is upper-cased when the matching nibble of keccak(lowercase hex) is 8 or more.
    out += c >= 'a' && parseInt(hash[i] as string, 16) >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

/**
 * Validates an Ethereum address and returns its EIP-55 form. All-lower and all-upper inputs
 * carry no checksum and are accepted; mixed case must be a correct checksum, because a wrong one
 * is almost always a typo.
 */
export function normaliseEthereumAddress(address: string): string {
  if (!ADDRESS.test(address)) {
    throw new CryptoError(CryptoErrorCodes.INVALID_ADDRESS, 'eip155 address must be 0x followed by 40 hex digits', {
      address,
    });
  }
  const body = address.slice(2);
  const checksummed = checksumAddress(body);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && checksummed !== address) {
    throw new CryptoError(CryptoErrorCodes.INVALID_ADDRESS, 'eip155 address has a wrong EIP-55 checksum', {
      address,
      expected: checksummed,
    });
  }
  return checksummed;
}

/** The 20-byte address of a secp256k1 public key (compressed or not): last 20 bytes of keccak(x ‖ y). */
export function ethereumAddressFromPublicKey(publicKey: Uint8Array): string {
  // An uncompressed key needs no curve math; a compressed one is decompressed (and checked) by noble.
  const uncompressed = publicKey.length === 65 && publicKey[0] === 0x04 ? publicKey : secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return checksumAddress(bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12)));
}
