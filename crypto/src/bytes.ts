import { concatBytes, hexToBytes, bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';

/** Re-exported so every module encodes hex and UTF-8 the same way. */
export { bytesToHex, concatBytes, utf8ToBytes };

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Strict hex decoding: even length, hex digits only, optional `0x` only when `allow0x`, and an
 * exact byte length when given. The error names `what` so callers get a precise message.
 */
export function decodeHex(value: unknown, what: string, length?: number, allow0x = false): Uint8Array {
  if (typeof value !== 'string') {
    throw new CryptoError(CryptoErrorCodes.INVALID_HEX, `${what} must be a hex string`);
  }
  const body = allow0x && value.startsWith('0x') ? value.slice(2) : value;
  if (!HEX.test(body)) {
    throw new CryptoError(CryptoErrorCodes.INVALID_HEX, `${what} is not an even-length hex string`);
  }
  if (length !== undefined && body.length !== length * 2) {
    throw new CryptoError(CryptoErrorCodes.INVALID_HEX, `${what} must be ${length} bytes`, {
      expected: length,
      actual: body.length / 2,
    });
  }
  return hexToBytes(body);
}

/** Big-endian unsigned 32-bit integer: the length prefix used by every hashed layout here. */
export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`not a u32: ${n}`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/**
 * Length-prefixed bytes, `u32be(len) ‖ bytes`. Prefixing every variable-length part makes the
 * concatenations injective, so no two different inputs hash the same layout.
 */
export function lp(bytes: Uint8Array | string): Uint8Array {
  const b = typeof bytes === 'string' ? utf8ToBytes(bytes) : bytes;
  return concatBytes(u32be(b.length), b);
}

/** Constant-time-ish equality; inputs here are public digests, so this is about correctness. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
