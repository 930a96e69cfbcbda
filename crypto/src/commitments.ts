import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { bytesToHex, concatBytes, decodeHex, lp, u32be } from './bytes.js';
import { canonicalValue } from './canonicalValue.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';
import { fieldDefinition } from './fieldCatalogue.js';

/** Domain tag of leaves: a leaf can never be confused with a root or any other hash of ours. */
export const LEAF_TAG = 'kyc-ledger:leaf:v1';
/** Domain tag of roots. */
export const ROOT_TAG = 'kyc-ledger:root:v1';

/** Salt length in bytes. */
export const SALT_LENGTH = 32;
/** Most fields one commitment may hold. */
export const MAX_FIELDS = 256;

/** Per-field commitments to an identity and their root. Everything but `root` is personal data. */
export interface Commitment {
  /** sha256 root over the leaves, hex; the only part that goes on the ledger. */
  root: string;
  leaves: Record<string, string>;
  salts: Record<string, string>;
  canonical: Record<string, string>;
}

/** A fresh 32-byte salt from the CSPRNG, hex. Never used on a verification path. */
export function generateSalt(): string {
  return bytesToHex(randomBytes(SALT_LENGTH));
}

/** Decodes a salt (64 hex digits); throws INVALID_SALT. */
export function decodeSalt(salt: unknown, field: string): Uint8Array {
  if (typeof salt !== 'string' || !/^[0-9a-fA-F]{64}$/.test(salt)) {
    throw new CryptoError(CryptoErrorCodes.INVALID_SALT, `salt of ${field} must be 32 bytes (64 hex digits)`, { field });
  }
  return decodeHex(salt, 'salt', SALT_LENGTH);
}

// Verification hashes a leaf per disclosed field and a root per check; the constant tags and the
// few distinct field names are framed once instead of on every hash.
const LEAF_PREFIX = lp(LEAF_TAG);
const ROOT_PREFIX = lp(ROOT_TAG);
const FRAMED_NAME_LIMIT = 1024;
const framedNames = new Map<string, Uint8Array>();

/** lp(name) of a valid field name (throws INVALID_FIELD_NAME otherwise); callers must not modify it. */
function framedName(name: string): Uint8Array {
  let framed = framedNames.get(name);
  if (!framed) {
    fieldDefinition(name);
    framed = lp(name);
    // Free-text names are allowed, so the set is bounded rather than trusted to stay small.
    if (framedNames.size >= FRAMED_NAME_LIMIT) framedNames.clear();
    framedNames.set(name, framed);
  }
  return framed;
}

/** leaf = sha256(lp(LEAF_TAG) ‖ lp(name) ‖ salt ‖ lp(canonical value)); `canonical` must already be canonical. */
export function leafHash(name: string, salt: Uint8Array, canonical: string): Uint8Array {
  const framed = framedName(name);
  if (salt.length !== SALT_LENGTH) throw new CryptoError(CryptoErrorCodes.INVALID_SALT, `salt of ${name} must be 32 bytes`);
  return sha256(concatBytes(LEAF_PREFIX, framed, salt, lp(canonical)));
}

/**
 * root = sha256(lp(ROOT_TAG) ‖ u32be(n) ‖ for each field sorted by name: lp(name) ‖ leaf).
 * Names go into the root so a leaf cannot be presented under another field's name.
 */
export function rootHash(leaves: Readonly<Record<string, Uint8Array>>): Uint8Array {
  const names = Object.keys(leaves).sort();
  if (names.length === 0 || names.length > MAX_FIELDS) {
    throw new CryptoError(CryptoErrorCodes.INVALID_COMMITMENT, `a commitment holds 1-${MAX_FIELDS} fields, got ${names.length}`);
  }
  const parts: Uint8Array[] = [ROOT_PREFIX, u32be(names.length)];
  for (const name of names) {
    const framed = framedName(name);
    const leaf = leaves[name] as Uint8Array;
    if (leaf.length !== 32) throw new CryptoError(CryptoErrorCodes.INVALID_COMMITMENT, `leaf of ${name} must be 32 bytes`);
    parts.push(framed, leaf);
  }
  return sha256(concatBytes(...parts));
}

/**
 * Commits to `fields`: canonicalises each value, salts it (given salt, or a fresh CSPRNG salt),
 * hashes the leaves and their root. Throws INVALID_FIELD_NAME / INVALID_FIELD_VALUE / INVALID_SALT
 * (also for a salt naming a field that is not committed).
 */
export function commitFields(fields: Readonly<Record<string, string>>, salts: Readonly<Record<string, string>> = {}): Commitment {
  for (const name of Object.keys(salts)) {
    if (!Object.hasOwn(fields, name)) throw new CryptoError(CryptoErrorCodes.INVALID_SALT, `salt given for ${name}, which is not committed`);
  }
  const leafBytes: Record<string, Uint8Array> = {};
  const out: Commitment = { root: '', leaves: {}, salts: {}, canonical: {} };
  for (const name of Object.keys(fields).sort()) {
    const canonical = canonicalValue(name, fields[name]);
    const salt = Object.hasOwn(salts, name) ? decodeSalt(salts[name], name) : randomBytes(SALT_LENGTH);
    const leaf = leafHash(name, salt, canonical);
    leafBytes[name] = leaf;
    out.leaves[name] = bytesToHex(leaf);
    out.salts[name] = bytesToHex(salt);
    out.canonical[name] = canonical;
  }
  out.root = bytesToHex(rootHash(leafBytes));
  return out;
}
