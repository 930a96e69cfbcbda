/**
 * The bank's signed one-time verification session (Flow 2) and what the wallet sends back.
 *
 * A bank creates a session, signs it with its Fabric identity (an X.509 certificate with a P-256
 * key, as cryptogen or a Fabric CA issues them) and shows it as a QR code / deep link. The wallet
 * verifies the signature and that the certificate was issued by a CA it trusts for the named MSP,
 * shows who asks for which fields, and answers with a {@link WalletSubmission}.
 *
 * Node only: X.509 parsing and the P-256 signature use `node:crypto` (the chaincode never needs
 * this module). The browser-safe part (format, URI, consent statement) lives in
 * bankSessionFormat.ts and is re-exported here unchanged, except {@link bankSessionSigningBytes},
 * which here keeps answering a Buffer.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { base64urlnopad } from '@scure/base';
import { parseAccountId, type AccountId } from './caip10.js';
import { isCryptoError } from './cryptoError.js';
import {
  BANK_SESSION_VERSION,
  BankSessionError,
  BankSessionErrorCodes,
  BankSessionSchema,
  bankSessionSigningBytes as signingBytes,
  isBankSessionError,
  malformedSessionMessage,
  parseBankSession,
  SESSION_ID_BYTES,
  SESSION_ID_PATTERN,
  EXPIRES_AT_PATTERN,
  sessionIssues,
  UnsignedBankSessionSchema,
  WalletSubmissionSchema,
  type BankSession,
  type BankSessionFailureReason,
  type ConsentStatement,
  type UnsignedBankSession,
  type WalletSubmission,
} from './bankSessionFormat.js';
import { isUtcTimestamp } from './isoDate.js';
import { Purposes, statementBytes } from './statement.js';
import { verifyParsedSignature } from './verifyStatementSignature.js';

export {
  BANK_SESSION_VERSION,
  BankSessionError,
  BankSessionErrorCodes,
  BankSessionSchema,
  buildConsentStatement,
  decodeSessionUri,
  encodeSessionUri,
  isBankSessionError,
  MAX_SESSION_URI_LENGTH,
  parseBankSession,
  SESSION_ID_BYTES,
  SESSION_URI_PREFIX,
  sessionQrPayload,
  UnsignedBankSessionSchema,
  WalletSubmissionSchema,
  type BankSession,
  type BankSessionErrorCode,
  type BankSessionFailureReason,
  type ConsentStatement,
  type UnsignedBankSession,
  type WalletSubmission,
} from './bankSessionFormat.js';

/** The signed bytes: UTF-8 of the RFC 8785 canonical JSON of the session without `signature`. */
export function bankSessionSigningBytes(session: UnsignedBankSession | BankSession): Buffer {
  const bytes = signingBytes(session);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// --- certificates ---------------------------------------------------------------------------

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** True when `cert` is valid at `now` (inclusive bounds, as X.509 defines them); false when its dates are unreadable. */
function validAt(cert: X509Certificate, now: Date): boolean {
  const t = now.getTime();
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return !Number.isNaN(from) && !Number.isNaN(to) && from <= t && t <= to;
}

function isP256(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** Every certificate in a PEM text (a file may hold several). Unparsable blocks are skipped. */
function certificatesIn(pems: string | readonly string[]): X509Certificate[] {
  const texts = typeof pems === 'string' ? [pems] : pems;
  const out: X509Certificate[] = [];
  for (const text of texts) {
    for (const block of text.match(PEM_BLOCK) ?? []) {
      const cert = parseCertificate(block);
      if (cert) out.push(cert);
    }
  }
  return out;
}

// --- create -------------------------------------------------------------------------------

/** What the bank asks for; see {@link createBankSession}. */
export interface BankSessionInput {
  /** `<consortium>/<channel>`, e.g. `kyc-ledger/kyc`. */
  network: string;
  bank: { mspId: string; name: string };
  /** Requested field names; sorted and de-duplicated here. */
  fields: readonly string[];
  /** Claim topics the attestation must carry; sorted and de-duplicated here. */
  claimTopics?: readonly string[];
  /** Absolute expiry (a Date or UTC ISO string). Give this or `ttlSeconds`. */
  expiresAt?: string | Date;
  /** Lifetime from `now` in seconds. Give this or `expiresAt`. */
  ttlSeconds?: number;
  /** Where the wallet POSTs its {@link WalletSubmission}. */
  submitUrl: string;
}

/** The bank's Fabric identity and, for tests, a fixed clock and random source. */
export interface BankSessionSigner {
  /** The bank identity's X.509 certificate (PEM, P-256 key). */
  certificatePem: string;
  /** Its private key, PKCS#8 PEM as cryptogen writes it (SEC1 PEM is accepted too). */
  privateKeyPem: string;
  now?: Date;
  /** Source of the session id bytes; defaults to node:crypto randomBytes. */
  random?: (length: number) => Uint8Array;
}

function signerError(message: string, details?: unknown): BankSessionError {
  return new BankSessionError(BankSessionErrorCodes.SESSION_SIGNER_INVALID, message, details);
}

function newSessionId(random: (length: number) => Uint8Array): string {
  // Redraw ids starting with '-' or '_' so the id is also a statement id; 64 tries cannot all fail
  // with a real random source (2^-320), so hitting the limit means a broken one.
  for (let i = 0; i < 64; i++) {
    const bytes = random(SESSION_ID_BYTES);
    if (!(bytes instanceof Uint8Array) || bytes.length !== SESSION_ID_BYTES) throw new TypeError('random() must return 16 bytes');
    const id = base64urlnopad.encode(bytes);
    if (SESSION_ID_PATTERN.test(id)) return id;
  }
  throw new Error('random source keeps producing unusable session ids');
}

/** The WHATWG-normalised form of a URL (what sessions carry); unparsable input is returned as is, to be refused. */
function normaliseUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return new URL(value).href;
  } catch {
    return value;
  }
}

function expiryOf(input: BankSessionInput, now: Date): string {
  const hasAbsolute = input.expiresAt !== undefined;
  const hasTtl = input.ttlSeconds !== undefined;
  if (hasAbsolute === hasTtl) {
    throw new BankSessionError(BankSessionErrorCodes.SESSION_MALFORMED, 'give exactly one of expiresAt and ttlSeconds');
  }
  let at: Date;
  if (hasTtl) {
    const ttl = input.ttlSeconds as number;
    if (!Number.isFinite(ttl) || ttl <= 0) throw new BankSessionError(BankSessionErrorCodes.SESSION_MALFORMED, 'ttlSeconds must be a positive number');
    at = new Date(now.getTime() + Math.round(ttl * 1000));
  } else if (input.expiresAt instanceof Date) {
    at = input.expiresAt;
  } else {
    const s = input.expiresAt as string;
    if (typeof s !== 'string' || !EXPIRES_AT_PATTERN.test(s) || !isUtcTimestamp(s)) {
      throw new BankSessionError(BankSessionErrorCodes.SESSION_MALFORMED, 'expiresAt must be a UTC timestamp YYYY-MM-DDTHH:MM:SS[.mmm]Z');
    }
    at = new Date(s);
  }
  if (Number.isNaN(at.getTime())) throw new BankSessionError(BankSessionErrorCodes.SESSION_MALFORMED, 'expiresAt is not a valid time');
  if (at.getTime() <= now.getTime()) throw new BankSessionError(BankSessionErrorCodes.SESSION_MALFORMED, 'expiresAt must be in the future');
  // Keep a caller's string as written (seconds or milliseconds); Dates become full ISO strings.
  return typeof input.expiresAt === 'string' ? input.expiresAt : at.toISOString();
}

/**
 * A bank identity checked once (certificate parsed, P-256, private key imported and matched to
 * the certificate), so that signing a session costs one signature and no parsing. Make it with
 * {@link prepareBankSessionSigner}; {@link createBankSession} takes it in place of the PEM texts.
 */
export interface PreparedBankSessionSigner {
  readonly certificate: X509Certificate;
  /** The certificate as sessions carry it (`X509Certificate#toString()`). */
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

const preparedSigners = new WeakSet<object>();

/**
 * Parses and checks a bank identity once: the certificate must carry a P-256 key and the private
 * key must be its key. Validity dates are checked at each signing, not here. Throws
 * {@link BankSessionError} SESSION_SIGNER_INVALID.
 */
export function prepareBankSessionSigner(identity: { certificatePem: string; privateKeyPem: string }): PreparedBankSessionSigner {
  const cert = parseCertificate(identity.certificatePem);
  if (!cert) throw signerError('certificatePem is not an X.509 certificate');
  if (!isP256(cert.publicKey)) throw signerError('the certificate must carry a P-256 (prime256v1) key');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(identity.privateKeyPem);
  } catch (e) {
    throw signerError('privateKeyPem is not a readable private key', { cause: (e as Error).message });
  }
  const spki = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
  if (!isP256(privateKey) || !spki(createPublicKey(privateKey)).equals(spki(cert.publicKey))) {
    throw signerError('the private key does not belong to the certificate');
  }
  const prepared = Object.freeze({ certificate: cert, certificatePem: cert.toString(), privateKey });
  preparedSigners.add(prepared);
  return prepared;
}

/** A {@link PreparedBankSessionSigner} with, for tests, a fixed clock and random source. */
export interface PreparedSigning {
  identity: PreparedBankSessionSigner;
  now?: Date;
  random?: (length: number) => Uint8Array;
}

/**
 * Creates and signs a one-time session (frozen). Field names and claim topics are sorted and de-duplicated,
 * the submit URL is normalised (`https://bank.example` becomes `https://bank.example/`); the session
 * id is 16 fresh random bytes. Throws {@link BankSessionError}: SESSION_MALFORMED for
 * bad input (including an expiry not in the future), SESSION_SIGNER_INVALID when the certificate
 * is not a P-256 certificate valid at `now` or the private key is not its key. A gateway signing
 * many sessions passes `identity` from {@link prepareBankSessionSigner}, checked once, instead of
 * the PEM texts, which are parsed and matched at every call.
 */
export function createBankSession(input: BankSessionInput, signer: BankSessionSigner | PreparedSigning): BankSession {
  const now = signer.now ?? new Date();
  let identity: PreparedBankSessionSigner;
  if ('identity' in signer) {
    // Only what prepareBankSessionSigner checked: a hand-made object could pair a key with another certificate.
    if (!preparedSigners.has(signer.identity)) throw signerError('identity must come from prepareBankSessionSigner');
    identity = signer.identity;
  } else {
    identity = prepareBankSessionSigner(signer);
  }
  const cert = identity.certificate;
  if (!validAt(cert, now)) throw signerError(`the certificate is not valid at ${now.toISOString()}`, { validFrom: cert.validFrom, validTo: cert.validTo });
  const privateKey = identity.privateKey;

  const body = {
    v: BANK_SESSION_VERSION,
    sessionId: newSessionId(signer.random ?? ((n) => randomBytes(n))),
    network: input.network,
    bank: { mspId: input.bank?.mspId, name: input.bank?.name },
    fields: [...new Set(input.fields ?? [])].sort(),
    claimTopics: [...new Set(input.claimTopics ?? [])].sort(),
    expiresAt: expiryOf(input, now),
    submitUrl: normaliseUrl(input.submitUrl),
    signer: { certificate: identity.certificatePem },
  };
  const parsed = UnsignedBankSessionSchema.safeParse(body);
  if (!parsed.success) {
    const issues = sessionIssues(parsed.error);
    throw new BankSessionError(BankSessionErrorCodes.SESSION_MALFORMED, malformedSessionMessage(issues), { issues });
  }
  const signature = sign('sha256', bankSessionSigningBytes(parsed.data), { key: privateKey, dsaEncoding: 'der' });
  const session = parseBankSession({ ...parsed.data, signature: signature.toString('base64') });
  // Frozen, so it stays exactly what was checked here and checkWalletSubmission can skip parsing
  // the bank's own session again for every submission.
  for (const part of [session.bank, session.fields, session.claimTopics, session.signer]) Object.freeze(part);
  issuedSessions.add(Object.freeze(session));
  return session;
}

/** Sessions made by {@link createBankSession}: well-formed and frozen. */
const issuedSessions = new WeakSet<object>();

// --- verify -------------------------------------------------------------------------------

/** Trust anchors: for each MSP id, the PEM certificates of the CAs that issue its identities. */
export type TrustedCas = Readonly<Record<string, string | readonly string[]>>;

/** What {@link verifyBankSession} checks against. */
export interface BankSessionVerifyOptions {
  trustedCas: TrustedCas;
  /** The verifier's clock; expiry and certificate validity are judged at this instant. */
  now: Date;
}

/** Outcome of {@link verifyBankSession}. */
export type BankSessionResult =
  | { ok: true; session: BankSession; signer: { subject: string; issuer: string; fingerprint256: string } }
  | { ok: false; reason: BankSessionFailureReason; message: string; details?: unknown };

function refuse(reason: BankSessionFailureReason, message: string, details?: unknown): BankSessionResult {
  return details === undefined ? { ok: false, reason, message } : { ok: false, reason, message, details };
}

/**
 * Verifies a session the wallet received: structure, the signature with the embedded
 * certificate's key, that a CA trusted for `bank.mspId` issued the certificate (directly) and
 * that both are valid at `now`, and that the session has not expired. Never throws for bad
 * input; returns the first failing check's coded reason.
 */
export function verifyBankSession(session: unknown, options: BankSessionVerifyOptions): BankSessionResult {
  const { now } = options;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('verifyBankSession needs options.now as a valid Date');
  const parsed = BankSessionSchema.safeParse(session);
  if (!parsed.success) {
    const issues = sessionIssues(parsed.error);
    return refuse('SESSION_MALFORMED', malformedSessionMessage(issues), { issues });
  }
  const s = parsed.data;
  const cert = parseCertificate(s.signer.certificate);
  if (!cert) return refuse('SESSION_MALFORMED', 'signer.certificate is not an X.509 certificate');
  if (!isP256(cert.publicKey)) return refuse('SESSION_MALFORMED', 'signer.certificate must carry a P-256 key');

  const signatureOk = verify('sha256', bankSessionSigningBytes(s), { key: cert.publicKey, dsaEncoding: 'der' }, Buffer.from(s.signature, 'base64'));
  if (!signatureOk) return refuse('SESSION_SIGNATURE_INVALID', 'the session signature does not verify with the signer certificate');

  const anchors = Object.hasOwn(options.trustedCas, s.bank.mspId) ? certificatesIn(options.trustedCas[s.bank.mspId] ?? []) : [];
  if (anchors.length === 0) {
    return refuse('SESSION_SIGNER_UNTRUSTED', `no trusted CA is configured for ${s.bank.mspId}`, { mspId: s.bank.mspId });
  }
  const issuer = anchors.find((ca) => ca.ca && cert.checkIssued(ca) && cert.verify(ca.publicKey));
  if (!issuer) {
    return refuse('SESSION_SIGNER_UNTRUSTED', `the signer certificate was not issued by a CA trusted for ${s.bank.mspId}`, {
      mspId: s.bank.mspId,
      issuer: cert.issuer,
    });
  }
  if (!validAt(cert, now) || !validAt(issuer, now)) {
    return refuse('SESSION_SIGNER_UNTRUSTED', `the signer certificate or its CA is not valid at ${now.toISOString()}`, {
      validFrom: cert.validFrom,
      validTo: cert.validTo,
    });
  }

  if (Date.parse(s.expiresAt) <= now.getTime()) {
    return refuse('SESSION_EXPIRED', `the session expired at ${s.expiresAt}`, { expiresAt: s.expiresAt });
  }
  return { ok: true, session: s, signer: { subject: cert.subject, issuer: cert.issuer, fingerprint256: cert.fingerprint256 } };
}

/** Outcome of {@link checkWalletSubmission}. */
export type WalletSubmissionCheck =
  | {
      ok: true;
      submission: WalletSubmission;
      signer: string;
      /** {@link statementDigest} of the consent, which the consent receipt records. */
      consentDigest: string;
    }
  | { ok: false; reason: string; message: string; details?: unknown };

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * True when `consent` is exactly what {@link buildConsentStatement} builds for `session` with the
 * consent's own attestation id and `account`. Both are statements of the consent shape (the
 * schema admits no other keys, and fixes domain, version and purpose), so comparing them field
 * by field is comparing their canonical JSON, without building and re-validating a second
 * statement on every submission.
 */
function consentMatches(consent: ConsentStatement, session: BankSession, account: AccountId): boolean {
  return (
    consent.network === session.network &&
    consent.chain === account.chainId &&
    consent.address === account.accountId &&
    consent.sessionId === session.sessionId &&
    consent.bank === session.bank.mspId &&
    sameList(consent.fields, session.fields) &&
    consent.expiresAt === session.expiresAt
  );
}

/**
 * Bank side, before the ledger lookups: checks that `value` is a well-formed submission whose
 * consent statement is exactly the one for `session` (network, id, bank, fields, expiry), whose
 * signature verifies for the consent's address, that the session has not expired at `now`, and
 * that the disclosure reveals exactly the session's fields. Reasons: SUBMISSION_MALFORMED,
 * CONSENT_MISMATCH, SESSION_EXPIRED, or a signature verification reason. The caller still reads
 * the attestation (`consent.attestationId`), checks that its subject is `signer`, its status and
 * scope, and runs `verifyDisclosure(attestation.commitmentRoot, submission.disclosure, session.fields)`.
 */
export function checkWalletSubmission(value: unknown, session: BankSession, opts: { now: Date }): WalletSubmissionCheck {
  const parsed = WalletSubmissionSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: BankSessionErrorCodes.SUBMISSION_MALFORMED, message: 'submission is malformed', details: { issues: sessionIssues(parsed.error) } };
  }
  const submission = parsed.data as WalletSubmission;
  const { consent } = submission;
  // The same checks, in the same order, as building the expected consent with
  // buildConsentStatement; its final validation cannot fail for a well-formed session and a
  // normalised account, whose rules are narrower than a statement's.
  let s: BankSession;
  let account: AccountId;
  try {
    s = issuedSessions.has(session) ? session : parseBankSession(session);
    account = parseAccountId(consent.address);
  } catch (e) {
    if (isCryptoError(e) || isBankSessionError(e)) return { ok: false, reason: BankSessionErrorCodes.SUBMISSION_MALFORMED, message: e.message };
    throw e;
  }
  if (!consentMatches(consent, s, account)) {
    return { ok: false, reason: BankSessionErrorCodes.CONSENT_MISMATCH, message: 'the consent statement does not match the session' };
  }
  if (Date.parse(session.expiresAt) <= opts.now.getTime()) {
    return { ok: false, reason: BankSessionErrorCodes.SESSION_EXPIRED, message: `the session expired at ${session.expiresAt}` };
  }
  // Consent and envelope were parsed with the submission; the signed bytes also give the digest.
  const message = statementBytes(consent);
  const verified = verifyParsedSignature(consent, parsed.data.signature, { network: session.network, purpose: Purposes.CONSENT }, message);
  if (!verified.ok) return { ok: false, reason: verified.reason, message: verified.message };
  const disclosed = Object.keys(submission.disclosure.disclosed).sort();
  if (!sameList(disclosed, session.fields)) {
    return {
      ok: false,
      reason: BankSessionErrorCodes.CONSENT_MISMATCH,
      message: 'the disclosure must reveal exactly the requested fields',
      details: { requested: session.fields, disclosed },
    };
  }
  return { ok: true, submission, signer: verified.address, consentDigest: createHash('sha256').update(message).digest('hex') };
}
