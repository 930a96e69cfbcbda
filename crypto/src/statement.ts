import { canonicalize } from 'json-canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { bytesToHex, utf8ToBytes } from './bytes.js';
import { parseAccountId } from './caip10.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';
import { isUtcTimestamp } from './isoDate.js';

/** Value of every statement's `domain`: separates our signatures from any other protocol's. */
export const STATEMENT_DOMAIN = 'kyc-ledger';
/** Current statement format version. */
export const STATEMENT_VERSION = 1;

/** What a statement authorises. A signature for one purpose is never valid for another. */
export const Purposes = {
  ATTESTATION_REQUEST: 'attestation-request',
  CONSENT: 'consent',
  KEY_ROTATION: 'key-rotation',
  OFFICER_APPROVAL: 'officer-approval',
  SESSION: 'session',
} as const;

/** One of {@link Purposes}. */
export type Purpose = (typeof Purposes)[keyof typeof Purposes];

const HEX32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const MSP_ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a Fabric MSP id');
const ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 characters of [A-Za-z0-9._:-]');
const FIELD_NAME = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'must be a field name');
const TIMESTAMP = z.string().refine(isUtcTimestamp, 'must be a UTC timestamp YYYY-MM-DDTHH:MM:SS[.fff]Z');
const NETWORK = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}(\/[a-z0-9][a-z0-9._-]{0,63})?$/, 'must be a consortium channel id such as kyc-ledger/kyc');

/**
 * A sorted, duplicate-free, non-empty list. Sorting is required of the signer (not done for it)
 * so that one set has exactly one signed encoding.
 */
function sortedSet(item: z.ZodString) {
  return z
    .array(item)
    .min(1)
    .max(256)
    .refine((a) => a.every((v, i) => i === 0 || (a[i - 1] as string) < v), 'must be sorted (UTF-16 order) without duplicates');
}

const base = {
  domain: z.literal(STATEMENT_DOMAIN),
  version: z.literal(STATEMENT_VERSION),
  network: NETWORK,
  chain: z.string(),
  address: z.string(),
};

const schemas = [
  z.strictObject({
    ...base,
    purpose: z.literal(Purposes.ATTESTATION_REQUEST),
    certifier: MSP_ID,
    claimTopics: sortedSet(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be a claim topic')),
    commitmentRoot: HEX32,
    issuedFor: ID.optional(),
  }),
  z.strictObject({
    ...base,
    purpose: z.literal(Purposes.CONSENT),
    sessionId: ID,
    bank: MSP_ID,
    fields: sortedSet(FIELD_NAME),
    attestationId: ID,
    expiresAt: TIMESTAMP,
  }),
  z.strictObject({
    ...base,
    purpose: z.literal(Purposes.KEY_ROTATION),
    oldAddress: z.string(),
    newAddress: z.string(),
    attestationId: ID,
  }),
  z.strictObject({
    ...base,
    purpose: z.literal(Purposes.OFFICER_APPROVAL),
    asset: ID,
    registrationDigest: HEX32,
  }),
  z.strictObject({
    ...base,
    purpose: z.literal(Purposes.SESSION),
    sessionId: ID,
    bank: MSP_ID,
    fields: sortedSet(FIELD_NAME),
    expiresAt: TIMESTAMP,
  }),
] as const;

/** Zod schema of a statement (structure only; {@link validateStatement} adds the address rules). */
export const StatementSchema = z.discriminatedUnion('purpose', schemas);

/** A signed statement: domain, version, purpose, channel, chain, signer address and purpose fields. */
export type Statement = z.infer<typeof StatementSchema>;
/** The statement type of one purpose. */
export type StatementOf<P extends Purpose> = Extract<Statement, { purpose: P }>;

/** What the verifying side expects; a statement for another channel or purpose is refused. */
export interface StatementExpectation {
  network?: string;
  purpose?: Purpose;
}

/** The exact signed bytes: UTF-8 of the RFC 8785 canonical JSON of the statement. */
export function statementBytes(statement: Statement): Uint8Array {
  return utf8ToBytes(canonicalize(statement));
}

/** SHA-256 of {@link statementBytes}, lower-case hex. */
export function statementDigest(statement: Statement): string {
  return bytesToHex(sha256(statementBytes(statement)));
}

function requireNormalised(value: string, path: string): void {
  const normalised = parseAccountId(value).accountId;
  if (normalised !== value) {
    throw new CryptoError(CryptoErrorCodes.INVALID_STATEMENT, `${path} must be the normalised account id`, {
      path,
      value,
      normalised,
    });
  }
}

/**
 * Checks a statement and returns it typed. Throws {@link CryptoError}: `INVALID_STATEMENT`
 * (structure, unsorted lists, unknown keys, non-normalised addresses), `INVALID_ADDRESS`,
 * `CHAIN_MISMATCH` (chain is not the address's CAIP-2 chain), `NETWORK_MISMATCH` /
 * `PURPOSE_MISMATCH` (against `expect`).
 */
export function validateStatement(value: unknown, expect: StatementExpectation = {}): Statement {
  const parsed = StatementSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    throw new CryptoError(
      CryptoErrorCodes.INVALID_STATEMENT,
      first ? `invalid statement: ${first.path || '(root)'} ${first.message}` : 'invalid statement',
      { issues },
    );
  }
  return checkStatementRules(parsed.data, expect);
}

/**
 * The checks of {@link validateStatement} that follow the structural parse, for a statement that
 * has already been parsed with {@link StatementSchema} (parsing it again would only repeat work).
 * Throws the same {@link CryptoError}s.
 */
export function checkStatementRules(statement: Statement, expect: StatementExpectation = {}): Statement {
  requireNormalised(statement.address, 'address');
  const chainId = parseAccountId(statement.address).chainId;
  if (statement.chain !== chainId) {
    throw new CryptoError(CryptoErrorCodes.CHAIN_MISMATCH, `statement chain ${statement.chain} is not the address's chain ${chainId}`, {
      chain: statement.chain,
      addressChain: chainId,
    });
  }
  if (statement.purpose === Purposes.KEY_ROTATION) checkRotation(statement);
  if (expect.network !== undefined && statement.network !== expect.network) {
    throw new CryptoError(CryptoErrorCodes.NETWORK_MISMATCH, `statement is for network ${statement.network}, expected ${expect.network}`);
  }
  if (expect.purpose !== undefined && statement.purpose !== expect.purpose) {
    throw new CryptoError(CryptoErrorCodes.PURPOSE_MISMATCH, `statement purpose is ${statement.purpose}, expected ${expect.purpose}`);
  }
  return statement;
}

function checkRotation(s: StatementOf<'key-rotation'>): void {
  requireNormalised(s.oldAddress, 'oldAddress');
  requireNormalised(s.newAddress, 'newAddress');
  if (s.oldAddress === s.newAddress) {
    throw new CryptoError(CryptoErrorCodes.INVALID_STATEMENT, 'key rotation needs two different addresses');
  }
  // Either key may sign (the rotation needs both); a third key may not.
  if (s.address !== s.oldAddress && s.address !== s.newAddress) {
    throw new CryptoError(CryptoErrorCodes.INVALID_STATEMENT, 'key-rotation must be signed by the old or the new address');
  }
}

/** Sorts and de-duplicates a list for a statement's set-valued fields. */
export function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
