import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, lp } from './bytes.js';
import { canonicalValue } from './canonicalValue.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';

/** Domain tag of the duplicate marker. */
export const DUPLICATE_TAG = 'kyc-ledger:dup:v1';
/** The stable identity fields the marker covers, in this order. */
export const DUPLICATE_FIELDS = ['givenName', 'familyName', 'birthDate', 'nationality'] as const;

/**
 * Keyed marker that lets certifiers spot the same person certified twice without publishing a
 * plain (dictionary-attackable) hash: HMAC-SHA256(key, lp(DUPLICATE_TAG) ‖ lp(givenName) ‖
 * lp(familyName) ‖ lp(birthDate) ‖ lp(nationality)) over canonical values. `key` is the 32-byte
 * secret shared by accredited certifiers only. Throws INVALID_KEY / MISSING_FIELD / INVALID_FIELD_VALUE.
 */
export function duplicateMarker(key: Uint8Array, fields: Readonly<Record<string, string>>): string {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new CryptoError(CryptoErrorCodes.INVALID_KEY, 'duplicate-marker key must be 32 bytes');
  const parts = DUPLICATE_FIELDS.map((name) => {
    if (!Object.hasOwn(fields, name)) throw new CryptoError(CryptoErrorCodes.MISSING_FIELD, `duplicate marker needs ${name}`, { field: name });
    return lp(canonicalValue(name, fields[name]));
  });
  return bytesToHex(hmac(sha256, key, concatBytes(lp(DUPLICATE_TAG), ...parts)));
}
