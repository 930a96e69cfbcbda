import { readFileSync } from 'node:fs';
import {
  decodeSessionUri,
  verifyBankSession,
  type BankSession,
  type SignatureScheme,
  type TrustedCas,
  type WalletSubmission,
} from '@kyc-ledger/crypto';
import type { Wallet } from './wallet.js';
import { publishedTrust, type GatewayTrustOptions } from './publishedBankTrust.js';
import { readLimited } from './readLimited.js';
import { sessionUriFromLink } from './sessionLink.js';
import { coded, WalletError, WalletErrorCodes } from './walletError.js';

/** What the wallet shows the person before they consent. */
export interface SessionSummary {
  sessionId: string;
  network: string;
  bank: { mspId: string; name: string };
  fields: string[];
  claimTopics: string[];
  expiresAt: string;
  /** Whole seconds left at the time of checking. */
  expiresInSeconds: number;
  submitUrl: string;
  /** The bank identity that signed the session, as its certificate names it. */
  signer: { subject: string; issuer: string; fingerprint256: string };
}

/** A verified session and its summary. */
export interface VerifiedSession {
  session: BankSession;
  summary: SessionSummary;
}

/** Trust anchors and clock for session checks. */
export interface SessionCheckOptions {
  /** For each bank MSP id, the PEM certificates of the CAs that issue its identities. */
  trustedCas: TrustedCas;
  /** Defaults to the current time. */
  now?: Date;
}

/**
 * Reads `--trust <mspId>=<ca.pem>` specifications into trust anchors (several per MSP allowed;
 * a file may hold several certificates). Throws INVALID_ARGUMENT.
 */
export function loadTrustedCas(specs: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const spec of specs) {
    const at = spec.indexOf('=');
    const mspId = at > 0 ? spec.slice(0, at) : '';
    const file = at > 0 ? spec.slice(at + 1) : '';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(mspId) || file === '') {
      throw new WalletError(WalletErrorCodes.INVALID_ARGUMENT, `--trust must be <mspId>=<ca.pem>, got ${spec}`);
    }
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      throw new WalletError(WalletErrorCodes.INVALID_ARGUMENT, `cannot read CA certificate ${file}: ${(e as Error).message}`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new WalletError(WalletErrorCodes.INVALID_ARGUMENT, `${file} holds no PEM certificate`);
    (out[mspId] ??= []).push(pem);
  }
  return out;
}

/**
 * Decodes (when given a URI) and verifies a bank session: signature, signer certificate issued by
 * a CA trusted for the bank's MSP, expiry. Throws a WalletError whose code is the session's
 * coded reason (SESSION_URI_INVALID, SESSION_MALFORMED, SESSION_SIGNATURE_INVALID,
 * SESSION_SIGNER_UNTRUSTED, SESSION_EXPIRED).
 */
export function showSession(input: string | BankSession, opts: SessionCheckOptions): VerifiedSession {
  const now = opts.now ?? new Date();
  const decoded = typeof input === 'string' ? coded(() => decodeSessionUri(sessionUriFromLink(input))) : input;
  const result = verifyBankSession(decoded, { trustedCas: opts.trustedCas, now });
  if (!result.ok) throw new WalletError(result.reason, result.message, result.details);
  const s = result.session;
  return {
    session: s,
    summary: {
      sessionId: s.sessionId,
      network: s.network,
      bank: { ...s.bank },
      fields: [...s.fields],
      claimTopics: [...s.claimTopics],
      expiresAt: s.expiresAt,
      expiresInSeconds: Math.floor((Date.parse(s.expiresAt) - now.getTime()) / 1000),
      submitUrl: s.submitUrl,
      signer: result.signer,
    },
  };
}

/** How {@link showSessionFromGateway} trusted the bank: its published certificate and the pin. */
export interface PublishedSignerCheck {
  source: 'registry';
  gatewayUrl: string;
  caFingerprint256: string;
  /** `new`: pinned now (first use); `matched`: as pinned; `repinned`: a changed CA accepted with repin. */
  pin: 'matched' | 'new' | 'repinned';
  previousCaFingerprint256?: string;
}

/** A session verified against the bank's published certificate. */
export interface PublishedVerifiedSession extends VerifiedSession {
  published: PublishedSignerCheck;
}

/**
 * Verifies a bank session without local trust files: fetches the session certificate the bank
 * published on the member registry through a gateway, checks its chain against the CA pinned for
 * the bank (pinning it on first use), then requires the session to be signed by exactly that
 * certificate and issued by its CA. The pin is recorded only once the session has verified.
 * Throws the codes of {@link showSession}, plus BANK_CERTIFICATE_UNAVAILABLE,
 * BANK_CERTIFICATE_NOT_PUBLISHED and BANK_PIN_MISMATCH.
 */
export async function showSessionFromGateway(input: string | BankSession, opts: GatewayTrustOptions & { now?: Date }): Promise<PublishedVerifiedSession> {
  const decoded = typeof input === 'string' ? coded(() => decodeSessionUri(sessionUriFromLink(input))) : input;
  // The MSP ID is read before the signature is checked only to know which certificate to fetch.
  const mspId = (decoded as { bank?: { mspId?: unknown } }).bank?.mspId;
  const trust = typeof mspId === 'string' ? await publishedTrust(mspId, opts) : undefined;
  const verified = showSession(decoded, { trustedCas: trust ? { [trust.mspId]: trust.issuerPem } : {}, ...(opts.now && { now: opts.now }) });
  if (!trust) throw new WalletError('SESSION_MALFORMED', 'the session names no bank MSP ID');
  if (verified.summary.signer.fingerprint256 !== trust.signerFingerprint256) {
    throw new WalletError('SESSION_SIGNER_UNTRUSTED', `the session is not signed with the certificate ${trust.mspId} published`, {
      mspId: trust.mspId,
      signer: verified.summary.signer.fingerprint256,
      published: trust.signerFingerprint256,
    });
  }
  trust.savePin();
  return {
    ...verified,
    published: {
      source: 'registry',
      gatewayUrl: opts.gatewayUrl,
      caFingerprint256: trust.caFingerprint256,
      pin: trust.pin,
      ...(trust.previousPin && { previousCaFingerprint256: trust.previousPin.caFingerprint256 }),
    },
  };
}

/** The bank's answer to a submission. `body` is parsed JSON when the answer is JSON, else text. */
export interface SubmitResponse {
  status: number;
  ok: boolean;
  contentType: string | null;
  body: unknown;
}

/** Options of {@link submitToSession}. */
export interface SubmitOptions {
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /** Default 15 s. */
  timeoutMs?: number;
}

/**
 * POSTs the submission as JSON to the session's `submitUrl`. Redirects are refused (the personal
 * data must go only where the signed session says). Returns the answer for any status; throws
 * SUBMIT_FAILED when the bank cannot be reached.
 */
export async function submitToSession(session: BankSession, submission: WalletSubmission, opts: SubmitOptions = {}): Promise<SubmitResponse> {
  const answer = await postSubmission(session, submission, opts);
  // A bank gateway from before sessions were carried back refuses the extra member as malformed;
  // without it, the instance that created the session takes the submission as before.
  if (submission.session && refusesCarriedSession(answer)) {
    const { session: _carried, ...plain } = submission;
    return postSubmission(session, plain, opts);
  }
  return answer;
}

function refusesCarriedSession(answer: SubmitResponse): boolean {
  const body = answer.body as { code?: unknown; details?: { issues?: { path?: unknown }[] } } | undefined;
  return answer.status === 400 && body?.code === 'SUBMISSION_MALFORMED' &&
    (body.details?.issues ?? []).some((i) => typeof i.path === 'string' && (i.path.startsWith('session') || (i.path === '' && /session/.test(String((i as { message?: unknown }).message)))));
}

async function postSubmission(session: BankSession, submission: WalletSubmission, opts: SubmitOptions): Promise<SubmitResponse> {
  const doFetch = opts.fetch ?? fetch;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(session.submitUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
      body: JSON.stringify(submission),
      redirect: 'error',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    text = await readLimited(response, WalletErrorCodes.SUBMIT_FAILED, "the bank's answer");
  } catch (e) {
    if (e instanceof WalletError) throw e;
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    throw new WalletError(WalletErrorCodes.SUBMIT_FAILED, `could not submit to ${session.submitUrl}: ${(e as Error).message}${cause ? ` (${cause})` : ''}`);
  }
  const contentType = response.headers.get('content-type');
  let body: unknown = text;
  if (contentType && /\bjson\b/i.test(contentType)) {
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
  }
  return { status: response.status, ok: response.ok, contentType, body };
}

/** Options of {@link consentToSession}. */
export interface ConsentOptions extends Partial<SessionCheckOptions>, SubmitOptions {
  /** Verify the bank from its published certificate (used when `trustedCas` is not given). */
  gateway?: GatewayTrustOptions;
  /** The commitment bundle to disclose from (must be attached to its attestation). */
  commitment: string;
  /** Label or account id of the consenting key; defaults to the attestation's subject. */
  key?: string;
  scheme?: SignatureScheme;
  /** POST the submission to the session's submitUrl. */
  submit?: boolean;
}

/** Result of {@link consentToSession}. */
export interface ConsentResult {
  session: SessionSummary;
  /** How the bank was trusted, when from its published certificate. */
  published?: PublishedSignerCheck;
  submission: WalletSubmission;
  /** Present when submitted. */
  response?: SubmitResponse;
}

/**
 * The person's whole answer to a bank session: verify the session (refusing untrusted, tampered
 * or expired ones with their coded reason), sign the consent, disclose exactly the requested
 * fields and, with `submit`, POST it to the bank. A non-2xx answer throws SUBMIT_REJECTED with
 * the status and body in `details`.
 */
export async function consentToSession(wallet: Wallet, input: string | BankSession, opts: ConsentOptions): Promise<ConsentResult> {
  let verified: VerifiedSession;
  if (opts.trustedCas) verified = showSession(input, { trustedCas: opts.trustedCas, ...(opts.now && { now: opts.now }) });
  else if (opts.gateway) verified = await showSessionFromGateway(input, { ...opts.gateway, ...(opts.now && { now: opts.now }) });
  else throw new WalletError(WalletErrorCodes.INVALID_ARGUMENT, 'give a gateway to fetch the bank\'s published certificate from, or trusted CAs');
  const consentOpts: { commitment: string; key?: string; scheme?: SignatureScheme } = { commitment: opts.commitment };
  if (opts.key !== undefined) consentOpts.key = opts.key;
  if (opts.scheme !== undefined) consentOpts.scheme = opts.scheme;
  const submission = wallet.buildConsent(verified.session, consentOpts);
  const result: ConsentResult = { session: verified.summary, submission, ...('published' in verified && { published: (verified as PublishedVerifiedSession).published }) };
  if (opts.submit) {
    const response = await submitToSession(verified.session, submission, opts);
    result.response = response;
    if (!response.ok) {
      throw new WalletError(WalletErrorCodes.SUBMIT_REJECTED, `the bank answered ${response.status}`, { status: response.status, body: response.body });
    }
  }
  return result;
}
