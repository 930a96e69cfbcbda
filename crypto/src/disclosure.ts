import { z } from 'zod';
import { bytesEqual, decodeHex } from './bytes.js';
import { canonicalValue } from './canonicalValue.js';
import { leafHash, MAX_FIELDS, rootHash, type Commitment } from './commitments.js';
import { CryptoError, CryptoErrorCodes, isCryptoError } from './cryptoError.js';
import { FIELD_NAME_PATTERN } from './fieldCatalogue.js';

/**
 * What the person hands a verifier: chosen fields with value and salt, plus the leaves of every
 * other field so the root can be recomputed without revealing them.
 */
export interface Disclosure {
  disclosed: Record<string, { value: string; salt: string }>;
  leaves: Record<string, string>;
}

/** Why a disclosure was refused. */
export const DisclosureFailureReasons = {
  INVALID_DISCLOSURE: 'INVALID_DISCLOSURE',
  INVALID_FIELD_VALUE: 'INVALID_FIELD_VALUE',
  FIELD_NOT_DISCLOSED: 'FIELD_NOT_DISCLOSED',
  DISCLOSURE_MISMATCH: 'DISCLOSURE_MISMATCH',
} as const;

/** One of {@link DisclosureFailureReasons}. */
export type DisclosureFailureReason = (typeof DisclosureFailureReasons)[keyof typeof DisclosureFailureReasons];

/** Outcome of {@link verifyDisclosure}: the canonical disclosed values, or a coded reason. */
export type DisclosureResult =
  | { ok: true; values: Record<string, string> }
  | { ok: false; reason: DisclosureFailureReason; message: string; details?: unknown };

const HEX32 = z.string().regex(/^[0-9a-fA-F]{64}$/);
const NAME = z.string().regex(FIELD_NAME_PATTERN);
/** Structural zod schema of a {@link Disclosure} (the verifier still recomputes the root). */
export const DisclosureSchema = z.strictObject({
  disclosed: z.record(NAME, z.strictObject({ value: z.string().max(4096), salt: HEX32 })),
  leaves: z.record(NAME, HEX32),
});

/** Builds the disclosure of `names` from a commitment (the person's wallet). Throws FIELD_NOT_COMMITTED. */
export function createDisclosure(commitment: Commitment, names: readonly string[]): Disclosure {
  const chosen = new Set(names);
  for (const name of chosen) {
    if (!Object.hasOwn(commitment.canonical, name)) throw new CryptoError(CryptoErrorCodes.FIELD_NOT_COMMITTED, `${name} is not in the commitment`);
  }
  const out: Disclosure = { disclosed: {}, leaves: {} };
  for (const name of Object.keys(commitment.leaves).sort()) {
    if (chosen.has(name)) {
      out.disclosed[name] = { value: commitment.canonical[name] as string, salt: commitment.salts[name] as string };
    } else {
      out.leaves[name] = commitment.leaves[name] as string;
    }
  }
  return out;
}

function refuse(reason: DisclosureFailureReason, message: string, details?: unknown): DisclosureResult {
  return details === undefined ? { ok: false, reason, message } : { ok: false, reason, message, details };
}

function requireRoot(root: unknown): void {
  if (typeof root !== 'string' || !/^[0-9a-fA-F]{64}$/.test(root)) {
    throw new CryptoError(CryptoErrorCodes.INVALID_COMMITMENT_ROOT, 'commitment root must be 64 hex digits');
  }
}

/**
 * Verifies a disclosure against an attested root and checks every `requiredNames` field is
 * disclosed. Disclosed values are re-canonicalised before hashing and returned canonical. Never
 * throws for a bad disclosure; throws CryptoError INVALID_COMMITMENT_ROOT only when `root`
 * itself (trusted input from the ledger) is not 64 hex digits.
 */
export function verifyDisclosure(root: string, disclosure: unknown, requiredNames: readonly string[] = []): DisclosureResult {
  requireRoot(root);
  const parsed = DisclosureSchema.safeParse(disclosure);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return refuse(DisclosureFailureReasons.INVALID_DISCLOSURE, 'disclosure is malformed', { issues });
  }
  return verifyParsedDisclosure(root, parsed.data, requiredNames);
}

/**
 * {@link verifyDisclosure} for a disclosure already parsed with {@link DisclosureSchema} (a bank
 * parses it as part of the wallet's submission): the same result without parsing it again.
 */
export function verifyParsedDisclosure(root: string, disclosure: Disclosure, requiredNames: readonly string[] = []): DisclosureResult {
  requireRoot(root);
  const { disclosed, leaves } = disclosure;
  const both = Object.keys(disclosed).filter((n) => Object.hasOwn(leaves, n));
  if (both.length > 0) return refuse(DisclosureFailureReasons.INVALID_DISCLOSURE, 'fields are both disclosed and given as leaves', { fields: both });
  const count = Object.keys(disclosed).length + Object.keys(leaves).length;
  if (count === 0 || count > MAX_FIELDS) return refuse(DisclosureFailureReasons.INVALID_DISCLOSURE, `a disclosure covers 1-${MAX_FIELDS} fields`);

  const leafBytes: Record<string, Uint8Array> = {};
  const values: Record<string, string> = {};
  for (const [name, leaf] of Object.entries(leaves)) leafBytes[name] = decodeHex(leaf, 'leaf', 32);
  for (const [name, { value, salt }] of Object.entries(disclosed)) {
    try {
      values[name] = canonicalValue(name, value);
    } catch (e) {
      if (!isCryptoError(e)) throw e;
      return refuse(DisclosureFailureReasons.INVALID_FIELD_VALUE, e.message, { field: name });
    }
    leafBytes[name] = leafHash(name, decodeHex(salt, 'salt', 32), values[name]);
  }
  if (!bytesEqual(rootHash(leafBytes), decodeHex(root, 'root', 32))) {
    return refuse(DisclosureFailureReasons.DISCLOSURE_MISMATCH, 'disclosed values, salts and leaves do not hash to the attested root');
  }
  const missing = requiredNames.filter((n) => !Object.hasOwn(values, n));
  if (missing.length > 0) return refuse(DisclosureFailureReasons.FIELD_NOT_DISCLOSED, `required fields not disclosed: ${missing.join(', ')}`, { fields: missing });
  return { ok: true, values };
}
