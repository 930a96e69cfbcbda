import 'reflect-metadata';
import { BasicConstraintsExtension, X509Certificate } from '@peculiar/x509';
import { base64 } from '@scure/base';
import { bankSessionSigningBytes, decodeSessionUri, isBankSessionError, type BankSession } from '@kyc-ledger/crypto/dist/bankSessionFormat.js';
import type { ApiClient } from '../shared/apiClient';
import { derToP1363 } from './p256Encoding';

/** The CA the wallet pinned for a bank on first use. */
export interface BankPin {
  caFingerprint256: string;
  caSubject: string;
  pinnedAt: string;
}

/** Where pins live (IndexedDB in the page). */
export interface PinStore {
  get(mspId: string): Promise<BankPin | undefined>;
  put(mspId: string, pin: BankPin): Promise<void>;
}

/** A session the page may offer consent for. */
export interface TrustedSession {
  ok: true;
  session: BankSession;
  /** The bank's name as the member registry records it. */
  bankName: string;
  caFingerprint256: string;
  /** `new`: pinned now (first use); `matched`: as pinned before. */
  pin: 'new' | 'matched';
}

/** Why a session is not offered for consent; `session` when it could at least be decoded. */
export interface UntrustedSession {
  ok: false;
  code: string;
  message: string;
  session?: BankSession;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Node's fingerprint256 format (AB:CD:…), so the page shows what the CLI and the registry show. */
async function fingerprint256(cert: X509Certificate): Promise<string> {
  const digest = new Uint8Array(await cert.getThumbprint('SHA-256'));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function validNow(cert: X509Certificate, now: Date): boolean {
  return cert.notBefore.getTime() <= now.getTime() && now.getTime() <= cert.notAfter.getTime();
}

function untrusted(code: string, message: string, session?: BankSession): UntrustedSession {
  return session ? { ok: false, code, message, session } : { ok: false, code, message };
}

/** The published chain, each certificate issued (and signed) by the next, the last a CA; all valid now. */
async function checkedChain(pem: string, mspId: string, now: Date): Promise<X509Certificate[]> {
  const chain = (pem.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
  if (chain.length < 2) throw new Error(`the session certificate published for ${mspId} has no CA certificate`);
  for (let i = 1; i < chain.length; i++) {
    const child = chain[i - 1] as X509Certificate;
    const parent = chain[i] as X509Certificate;
    const isCa = parent.getExtension(BasicConstraintsExtension)?.ca === true;
    if (!isCa || child.issuer !== parent.subject || !(await child.verify({ publicKey: parent.publicKey, signatureOnly: true }))) {
      throw new Error(`the chain published for ${mspId} is broken at certificate ${i}`);
    }
  }
  if (!chain.every((cert) => validNow(cert, now))) throw new Error(`a certificate of the chain published for ${mspId} is not valid now`);
  return chain;
}

/** True when `session.signature` verifies with the key of `cert` over the session's signing bytes. */
async function signatureVerifies(session: BankSession, cert: X509Certificate): Promise<boolean> {
  try {
    const key = await cert.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify']);
    const signature = new Uint8Array(derToP1363(base64.decode(session.signature)));
    return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, new Uint8Array(bankSessionSigningBytes(session)));
  } catch {
    return false;
  }
}

type Member = { mspId: string; name: string; status: string; roles: string[] };

/**
 * The member registry and `mspId`'s published session certificate. The wallet's home gateway (a
 * certifier's, which knows the person) must not learn which bank the person is talking to, so the
 * certificates of every active bank are read alike, and the one asked for is picked here.
 */
async function publishedFor(mspId: string, api: ApiClient): Promise<{ members: Member[]; published: { mspId?: unknown; chain?: unknown } }> {
  const members = (await api.get<{ members: Member[] }>('/v1/public/members')).members;
  const banks = members.filter((m) => m.status === 'active' && m.roles.includes('bank')).map((m) => m.mspId);
  // A name the registry does not list as a bank is still asked for (the answer tells whether it published one).
  const asked = banks.includes(mspId) ? banks : [...banks, mspId];
  const answers = await Promise.allSettled(asked.map((id) => api.get<{ mspId?: unknown; chain?: unknown }>(`/v1/public/members/${encodeURIComponent(id)}/session-certificate`)));
  const mine = answers[asked.indexOf(mspId)] as PromiseSettledResult<{ mspId?: unknown; chain?: unknown }>;
  if (mine.status === 'rejected') throw mine.reason;
  return { members, published: mine.value };
}

/**
 * Checks a session URI in the browser, as the Node wallet's showSessionFromGateway does: decode it
 * strictly, fetch the certificate chain the named bank published on the member registry (through
 * the gateway that served the page), check that chain, compare its CA with the pin for that MSP
 * (trust on first use; a changed CA is refused), require the session to be signed by exactly the
 * published signer certificate, and not expired. The bank's name comes from the member registry.
 * The pin is recorded only when everything holds.
 */
export async function checkSession(uri: string, opts: { api: ApiClient; pins: PinStore; now?: Date }): Promise<TrustedSession | UntrustedSession> {
  const now = opts.now ?? new Date();
  let session: BankSession;
  try {
    session = decodeSessionUri(uri);
  } catch (e) {
    if (isBankSessionError(e)) return untrusted(e.code, e.message);
    throw e;
  }
  const mspId = session.bank.mspId;
  let published: { mspId?: unknown; chain?: unknown };
  let members: Member[];
  try {
    ({ members, published } = await publishedFor(mspId, opts.api));
  } catch (e) {
    // ApiError's status (by shape: the unit tests load this module and the client as separate bundles).
    if ((e as { status?: unknown } | null)?.status === 404) return untrusted('BANK_CERTIFICATE_NOT_PUBLISHED', `${mspId} has published no session certificate`, session);
    return untrusted('BANK_CERTIFICATE_UNAVAILABLE', `could not read ${mspId}'s published certificate: ${(e as Error).message}`, session);
  }
  const member = members.find((m) => m.mspId === mspId && m.status === 'active');
  if (!member) return untrusted('BANK_NOT_MEMBER', `${mspId} is not an active member of the network`, session);
  if (published.mspId !== mspId || typeof published.chain !== 'string') return untrusted('BANK_CERTIFICATE_UNAVAILABLE', `the gateway did not answer ${mspId}'s session certificate`, session);
  let chain: X509Certificate[];
  try {
    chain = await checkedChain(published.chain, mspId, now);
  } catch (e) {
    return untrusted('BANK_CERTIFICATE_UNAVAILABLE', (e as Error).message, session);
  }
  const ca = chain[chain.length - 1] as X509Certificate;
  const caFingerprint256 = await fingerprint256(ca);
  const pinned = await opts.pins.get(mspId);
  if (pinned && pinned.caFingerprint256 !== caFingerprint256) {
    return untrusted('BANK_PIN_MISMATCH', `the CA behind ${member.name}'s certificate changed since this wallet first saw it (${pinned.pinnedAt}); check with the bank before going on`, session);
  }
  let signer: X509Certificate;
  try {
    signer = new X509Certificate(session.signer.certificate);
  } catch {
    return untrusted('SESSION_MALFORMED', 'the session carries an unreadable certificate', session);
  }
  if (!(await signatureVerifies(session, signer))) return untrusted('SESSION_SIGNATURE_INVALID', 'the session signature does not verify with its certificate', session);
  if ((await fingerprint256(signer)) !== (await fingerprint256(chain[0] as X509Certificate))) {
    return untrusted('SESSION_SIGNER_UNTRUSTED', `This session names ${member.name} but is not signed with the certificate ${mspId} published`, session);
  }
  if (Date.parse(session.expiresAt) <= now.getTime()) return untrusted('SESSION_EXPIRED', `the session expired at ${session.expiresAt}`, session);
  if (!pinned) await opts.pins.put(mspId, { caFingerprint256, caSubject: ca.subject, pinnedAt: now.toISOString() });
  return { ok: true, session, bankName: member.name, caFingerprint256, pin: pinned ? 'matched' : 'new' };
}
