/**
 * The browser-safe part of the bank's signed verification session (Flow 2): its format (schema,
 * version, error codes), the signed bytes, the deep-link encoding and the wallet's consent
 * statement and submission shape. No Node built-ins, so the wallet page bundles it; the Node-only
 * part (X.509, signing, verification, the bank's submission check) is in bankSession.ts, which
 * re-exports this module's public API.
 */
import { canonicalize } from 'json-canonicalize';
import { base64, base64urlnopad } from '@scure/base';
import { z } from 'zod';
import { utf8ToBytes } from './bytes.js';
import { parseAccountId } from './caip10.js';
import { DisclosureSchema, type Disclosure } from './disclosure.js';
import { FIELD_NAME_PATTERN } from './fieldCatalogue.js';
import { isUtcTimestamp } from './isoDate.js';
import { SignatureEnvelopeSchema, type SignatureEnvelope } from './signatureEnvelope.js';
import { Purposes, STATEMENT_DOMAIN, STATEMENT_VERSION, StatementSchema, validateStatement, type StatementOf } from './statement.js';

/** Format version of {@link BankSession}. */
export const BANK_SESSION_VERSION = 1;
/** Random bytes in a session id (base64url without padding: 22 characters). */
export const SESSION_ID_BYTES = 16;
/** Scheme and path of the deep link that carries a session (also the QR code's content). */
export const SESSION_URI_PREFIX = 'kycledger://session?d=';
/** Longest session URI accepted or produced. A QR code holds at most 2,953 bytes; deep links may be longer. */
export const MAX_SESSION_URI_LENGTH = 8192;

/** Coded reasons of the session functions. Reasons are stable; messages are for people. */
export const BankSessionErrorCodes = {
  /** Not a well-formed session (structure, sorting, timestamps, URL, certificate encoding). */
  SESSION_MALFORMED: 'SESSION_MALFORMED',
  /** The signature does not verify with the certificate's key over the canonical session. */
  SESSION_SIGNATURE_INVALID: 'SESSION_SIGNATURE_INVALID',
  /** The certificate was not issued by a CA trusted for the session's MSP, or is not valid now. */
  SESSION_SIGNER_UNTRUSTED: 'SESSION_SIGNER_UNTRUSTED',
  /** `expiresAt` is not after the verifier's `now`. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  /** A deep link that is not `kycledger://session?d=<base64url canonical JSON>` within the size limit. */
  SESSION_URI_INVALID: 'SESSION_URI_INVALID',
  /** createBankSession: the certificate or private key is unusable, they do not match, or the certificate is not valid now. */
  SESSION_SIGNER_INVALID: 'SESSION_SIGNER_INVALID',
  /** checkWalletSubmission: the submission is not a well-formed {@link WalletSubmission}. */
  SUBMISSION_MALFORMED: 'SUBMISSION_MALFORMED',
  /** checkWalletSubmission: the consent statement does not match the session, or the disclosure is not exactly the session's fields. */
  CONSENT_MISMATCH: 'CONSENT_MISMATCH',
} as const;

/** One of {@link BankSessionErrorCodes}. */
export type BankSessionErrorCode = (typeof BankSessionErrorCodes)[keyof typeof BankSessionErrorCodes];

/** The reasons {@link verifyBankSession} can return. */
export type BankSessionFailureReason = 'SESSION_MALFORMED' | 'SESSION_SIGNATURE_INVALID' | 'SESSION_SIGNER_UNTRUSTED' | 'SESSION_EXPIRED';

/** Thrown by the session constructors and decoders for bad input. Verification returns results instead. */
export class BankSessionError extends Error {
  readonly code: BankSessionErrorCode;
  readonly details: unknown;

  constructor(code: BankSessionErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'BankSessionError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is a {@link BankSessionError}, optionally with the given code. */
export function isBankSessionError(e: unknown, code?: BankSessionErrorCode): e is BankSessionError {
  return e instanceof BankSessionError && (code === undefined || e.code === code);
}

// --- schema -------------------------------------------------------------------------------

const MSP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CLAIM_TOPIC = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const NETWORK = /^[a-z0-9][a-z0-9._-]{0,63}\/[a-z0-9][a-z0-9._-]{0,63}$/;
/**
 * base64url of 16 bytes, and (so that it is also a valid statement id, `[A-Za-z0-9][…]`) never
 * starting with `-` or `_`; {@link createBankSession} redraws the 1 in 32 ids that would.
 */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{21}$/;
/** UTC, seconds, optionally milliseconds. */
export const EXPIRES_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
/** One certificate, exactly as `X509Certificate#toString()` writes it. */
const CERTIFICATE_PEM = /^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,64}\n){1,64}-----END CERTIFICATE-----\n$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// Control characters and bidirectional overrides would let a bank name display as something else.
// eslint-disable-next-line no-control-regex
const UNSAFE_DISPLAY = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function sortedSet(item: z.ZodString, min: number) {
  return z
    .array(item)
    .min(min)
    .max(256)
    .refine((a) => a.every((v, i) => i === 0 || (a[i - 1] as string) < v), 'must be sorted (UTF-16 order) without duplicates');
}

function isCanonicalBase64(value: string, decodedLength?: [number, number]): boolean {
  if (!BASE64.test(value) || value.length % 4 !== 0) return false;
  let bytes: Uint8Array;
  try {
    bytes = base64.decode(value);
  } catch {
    return false;
  }
  if (decodedLength && (bytes.length < decodedLength[0] || bytes.length > decodedLength[1])) return false;
  return base64.encode(bytes) === value;
}

function isSessionId(value: string): boolean {
  if (!SESSION_ID_PATTERN.test(value)) return false;
  try {
    return base64urlnopad.encode(base64urlnopad.decode(value)) === value;
  } catch {
    return false;
  }
}

function isSubmitUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && url.href === value;
}

const BankSessionBodyShape = {
  v: z.literal(BANK_SESSION_VERSION),
  sessionId: z.string().refine(isSessionId, 'must be base64url (no padding) of 16 bytes, starting with a letter or digit'),
  network: z.string().regex(NETWORK, 'must be <consortium>/<channel>'),
  bank: z.strictObject({
    mspId: z.string().regex(MSP_ID, 'must be a Fabric MSP id'),
    name: z
      .string()
      .min(1)
      .max(128)
      .refine((s) => s === s.trim() && s.normalize('NFC') === s && !UNSAFE_DISPLAY.test(s), 'must be trimmed NFC text without control or bidi characters'),
  }),
  fields: sortedSet(z.string().regex(FIELD_NAME_PATTERN, 'must be a field name'), 1),
  claimTopics: sortedSet(z.string().regex(CLAIM_TOPIC, 'must be a claim topic'), 0),
  expiresAt: z.string().refine((s) => EXPIRES_AT_PATTERN.test(s) && isUtcTimestamp(s), 'must be a UTC timestamp YYYY-MM-DDTHH:MM:SS[.mmm]Z'),
  submitUrl: z.string().max(1024).refine(isSubmitUrl, 'must be a normalised http(s) URL without credentials'),
  signer: z.strictObject({
    certificate: z.string().max(4096).regex(CERTIFICATE_PEM, 'must be one PEM certificate'),
  }),
};

/** Zod schema of a session without its signature: the object that is signed. */
export const UnsignedBankSessionSchema = z.strictObject(BankSessionBodyShape);

/** Zod schema of a {@link BankSession} (structure only; {@link verifyBankSession} checks signature and trust). */
export const BankSessionSchema = z.strictObject({
  ...BankSessionBodyShape,
  signature: z.string().max(200).refine((s) => isCanonicalBase64(s, [8, 72]), 'must be canonical base64 of a DER ECDSA signature'),
});

/**
 * A bank's signed one-time verification session. `signature` is base64 DER ECDSA-P256-SHA256 by
 * `signer.certificate`'s key over `utf8(JCS(session without signature))`.
 */
export type BankSession = z.infer<typeof BankSessionSchema>;
/** A {@link BankSession} without its `signature`: exactly what is signed. */
export type UnsignedBankSession = z.infer<typeof UnsignedBankSessionSchema>;

/** The zod issues as `{path, message}` (the details of SESSION_MALFORMED). */
export function sessionIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** A person-readable message naming the first issue. */
export function malformedSessionMessage(issues: { path: string; message: string }[]): string {
  const first = issues[0];
  return first ? `invalid session: ${first.path || '(root)'} ${first.message}` : 'invalid session';
}

/** Checks the structure of a session and returns it typed; throws {@link BankSessionError} SESSION_MALFORMED. */
export function parseBankSession(value: unknown): BankSession {
  const parsed = BankSessionSchema.safeParse(value);
  if (!parsed.success) {
    const issues = sessionIssues(parsed.error);
    throw new BankSessionError(BankSessionErrorCodes.SESSION_MALFORMED, malformedSessionMessage(issues), { issues });
  }
  return parsed.data;
}

/** The signed bytes: UTF-8 of the RFC 8785 canonical JSON of the session without `signature`. */

/** The signed bytes: UTF-8 of the RFC 8785 canonical JSON of the session without `signature`. */
export function bankSessionSigningBytes(session: UnsignedBankSession | BankSession): Uint8Array {
  const { signature: _ignored, ...body } = session as BankSession;
  return utf8ToBytes(canonicalize(body));
}

// --- QR code / deep link ------------------------------------------------------------------

function uriError(message: string): BankSessionError {
  return new BankSessionError(BankSessionErrorCodes.SESSION_URI_INVALID, message);
}

/** `kycledger://session?d=<base64url(JCS(session))>`. Throws SESSION_MALFORMED for a malformed session. */
export function encodeSessionUri(session: BankSession): string {
  const s = parseBankSession(session);
  const uri = SESSION_URI_PREFIX + base64urlnopad.encode(utf8ToBytes(canonicalize(s)));
  if (uri.length > MAX_SESSION_URI_LENGTH) throw new BankSessionError(BankSessionErrorCodes.SESSION_MALFORMED, `session URI would exceed ${MAX_SESSION_URI_LENGTH} characters`);
  return uri;
}

/** The QR code's content: the session URI. */
export function sessionQrPayload(session: BankSession): string {
  return encodeSessionUri(session);
}

/**
 * Decodes a session URI strictly: exact prefix, one `d` parameter of canonical base64url, UTF-8,
 * canonical JSON (so a session has exactly one URI) and a well-formed session. Does not verify
 * the signature (see {@link verifyBankSession}). Throws {@link BankSessionError}
 * SESSION_URI_INVALID, or SESSION_MALFORMED for a well-encoded but malformed session.
 */
export function decodeSessionUri(uri: unknown): BankSession {
  if (typeof uri !== 'string') throw uriError('session URI must be a string');
  if (uri.length > MAX_SESSION_URI_LENGTH) throw uriError(`session URI is longer than ${MAX_SESSION_URI_LENGTH} characters`);
  if (!uri.startsWith(SESSION_URI_PREFIX)) throw uriError(`session URI must start with ${SESSION_URI_PREFIX}`);
  const data = uri.slice(SESSION_URI_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(data)) throw uriError('session URI data must be base64url without padding and nothing may follow it');
  let bytes: Uint8Array;
  try {
    bytes = base64urlnopad.decode(data);
  } catch {
    throw uriError('session URI data is not valid base64url');
  }
  if (base64urlnopad.encode(bytes) !== data) throw uriError('session URI data is not canonical base64url');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw uriError('session URI data is not UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw uriError('session URI data is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw uriError('session URI data is not a JSON object');
  if (canonicalize(value) !== text) throw uriError('session URI data is not canonical JSON (RFC 8785)');
  return parseBankSession(value);
}

// --- consent ------------------------------------------------------------------------------

/** The consent statement a person signs for a session. */
export type ConsentStatement = StatementOf<'consent'>;

/**
 * Builds the `consent` statement for `session` (not signed): the session's network, id, bank MSP,
 * fields and expiry, the attestation the person discloses from and the person's account (whose
 * CAIP-2 chain becomes `chain`). Throws CryptoError (INVALID_ADDRESS / INVALID_STATEMENT) for a
 * bad address or attestation id, BankSessionError SESSION_MALFORMED for a malformed session.
 */
export function buildConsentStatement(session: BankSession, opts: { attestationId: string; address: string }): ConsentStatement {
  const s = parseBankSession(session);
  const account = parseAccountId(opts.address);
  const statement = {
    domain: STATEMENT_DOMAIN,
    version: STATEMENT_VERSION,
    purpose: Purposes.CONSENT,
    network: s.network,
    chain: account.chainId,
    address: account.accountId,
    sessionId: s.sessionId,
    bank: s.bank.mspId,
    fields: s.fields,
    attestationId: opts.attestationId,
    expiresAt: s.expiresAt,
  };
  return validateStatement(statement, { purpose: Purposes.CONSENT }) as ConsentStatement;
}

/** What the wallet POSTs to the session's `submitUrl`. */
export interface WalletSubmission {
  consent: ConsentStatement;
  signature: SignatureEnvelope;
  disclosure: Disclosure;
  /**
   * The bank's signed session the consent answers, as the wallet received it. Optional: with it,
   * any instance of the bank's gateway can take the submission, since the session proves itself
   * (the bank's signature); without it, only the instance holding the session in memory can.
   */
  session?: BankSession;
}

/** Structural zod schema of a {@link WalletSubmission}; signature and disclosure are verified separately. */
export const WalletSubmissionSchema = z.strictObject({
  consent: StatementSchema.refine((s) => s.purpose === Purposes.CONSENT, 'must be a consent statement'),
  signature: SignatureEnvelopeSchema,
  disclosure: DisclosureSchema,
  session: BankSessionSchema.optional(),
});

