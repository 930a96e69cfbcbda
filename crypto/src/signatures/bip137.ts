import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64 } from '@scure/base';
import { concatBytes, utf8ToBytes } from '../bytes.js';
import { bitcoinAddressFromPublicKey, type BitcoinAddressType, type BitcoinNetwork } from '../bitcoinAddress.js';
import { recoverSecp256k1, signSecp256k1Digest } from './secp256k1Recovery.js';
import { fail, VerifyFailureReasons, type VerifyResult } from './verifyResult.js';

const MAGIC = utf8ToBytes('Bitcoin Signed Message:\n');

/** Bitcoin CompactSize ("varint") encoding of a length. */
export function compactSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  const out = new Uint8Array(n <= 0xffff ? 3 : 5);
  const view = new DataView(out.buffer);
  if (n <= 0xffff) {
    out[0] = 0xfd;
    view.setUint16(1, n, true);
  } else {
    out[0] = 0xfe;
    view.setUint32(1, n, true);
  }
  return out;
}

/** sha256d(varint(24) ‖ "Bitcoin Signed Message:\n" ‖ varint(len) ‖ message). */
export function bitcoinMessageDigest(message: Uint8Array): Uint8Array {
  return sha256(sha256(concatBytes(compactSize(MAGIC.length), MAGIC, compactSize(message.length), message)));
}

/** BIP-137 header base per address type; header = base + recovery id. */
const HEADER_BASE = { 'p2pkh-uncompressed': 27, p2pkh: 31, 'p2sh-p2wpkh': 35, p2wpkh: 39 } as const;

function headerType(header: number): { type: BitcoinAddressType; compressed: boolean } | undefined {
  if (header >= 27 && header <= 30) return { type: 'p2pkh', compressed: false };
  if (header >= 31 && header <= 34) return { type: 'p2pkh', compressed: true };
  if (header >= 35 && header <= 38) return { type: 'p2sh-p2wpkh', compressed: true };
  if (header >= 39 && header <= 42) return { type: 'p2wpkh', compressed: true };
  return undefined;
}

/** BIP-137 signature (base64 of header ‖ r ‖ s) over `message` for a compressed-key address of `type`. */
export function signBitcoinMessage(message: Uint8Array, privateKey: Uint8Array, type: BitcoinAddressType): string {
  const { recid, rs } = signSecp256k1Digest(bitcoinMessageDigest(message), privateKey);
  return base64.encode(concatBytes(Uint8Array.of(HEADER_BASE[type] + recid), rs));
}

/**
 * Recovers the key of a BIP-137 signature and derives the address of the type its header names
 * (a header never stands for another type). Returns that address; comparing it with the claimed
 * one is the caller's job. High-S is accepted, as Bitcoin Core does. Never throws.
 */
export function recoverBitcoinMessageSigner(message: Uint8Array, signature: string, network: BitcoinNetwork): VerifyResult {
  let bytes: Uint8Array;
  try {
    // Some tools print the signature without its one '=' of padding; accept both forms.
    bytes = base64.decode(signature.length === 87 ? `${signature}=` : signature);
  } catch {
    return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'BIP-137 signature must be base64');
  }
  if (bytes.length !== 65) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'BIP-137 signature must be 65 bytes');
  const header = bytes[0] as number;
  const kind = headerType(header);
  if (!kind) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, `BIP-137 header byte must be 27-42, got ${header}`);
  const recovered = recoverSecp256k1(bitcoinMessageDigest(message), bytes.subarray(1), (header - 27) & 3, true);
  if (!recovered.ok) return recovered;
  const publicKey = kind.compressed ? recovered.publicKey : recovered.uncompressedPublicKey;
  return { ok: true, address: bitcoinAddressFromPublicKey(publicKey, kind.type, network) };
}
