import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { readBankPins, writeBankPins, defaultPinsPath, type BankPin } from './bankPins.js';
import { readLimited } from './readLimited.js';
import { WalletError, WalletErrorCodes } from './walletError.js';

/** Where and how the wallet gets a bank's published session certificate. */
export interface GatewayTrustOptions {
  /** Base URL of any member's gateway, e.g. `https://gateway.bank2.example`. */
  gatewayUrl: string;
  /** Pin file; default {@link defaultPinsPath}. */
  pinsFile?: string;
  /** Accept (and pin) a CA that differs from the pinned one; only after checking it out of band. */
  repin?: boolean;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /** Default 15 s. */
  timeoutMs?: number;
}

/** What the wallet learnt from the gateway and its pins, before it checks the session itself. */
export interface PublishedTrust {
  mspId: string;
  /** The CA certificate that must have issued the session's signer (trust anchor for the session check). */
  issuerPem: string;
  /** The published signer's fingerprint: the session must be signed by exactly this certificate. */
  signerFingerprint256: string;
  caFingerprint256: string;
  /** `matched`: as pinned; `new`: first use; `repinned`: replaced a different pin (with --repin). */
  pin: 'matched' | 'new' | 'repinned';
  /** The pin that was replaced, when `repinned`. */
  previousPin?: BankPin;
  /** Records the pin (for `new` and `repinned`); call it only once the session has verified. */
  savePin(): void;
}

const PublishedSchema = z.looseObject({ mspId: z.string(), chain: z.string().max(16_384) });
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function unavailable(message: string, details?: unknown): WalletError {
  return new WalletError(WalletErrorCodes.BANK_CERTIFICATE_UNAVAILABLE, message, details);
}

/** GETs the bank's published record from the gateway's public route. */
async function fetchPublished(mspId: string, opts: GatewayTrustOptions): Promise<z.output<typeof PublishedSchema>> {
  let url: URL;
  try {
    url = new URL(`v1/public/members/${encodeURIComponent(mspId)}/session-certificate`, opts.gatewayUrl.endsWith('/') ? opts.gatewayUrl : `${opts.gatewayUrl}/`);
  } catch {
    throw new WalletError(WalletErrorCodes.INVALID_ARGUMENT, `--gateway must be a URL, got ${opts.gatewayUrl}`);
  }
  let response: Response;
  let text: string;
  try {
    response = await (opts.fetch ?? fetch)(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
    text = await readLimited(response, WalletErrorCodes.BANK_CERTIFICATE_UNAVAILABLE, "the gateway's answer");
  } catch (e) {
    if (e instanceof WalletError) throw e;
    throw unavailable(`could not fetch ${url.href}: ${(e as Error).message}`);
  }
  if (response.status === 404) throw new WalletError(WalletErrorCodes.BANK_CERTIFICATE_NOT_PUBLISHED, `${mspId} has published no session certificate (${url.href})`);
  if (!response.ok) throw unavailable(`${url.href} answered ${response.status}`, { status: response.status });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw unavailable(`${url.href} did not answer JSON`);
  }
  const parsed = PublishedSchema.safeParse(body);
  if (!parsed.success || parsed.data.mspId !== mspId) throw unavailable(`${url.href} did not answer a session certificate of ${mspId}`);
  return parsed.data;
}

/**
 * The chain's certificates, each issued by the next. The wallet recomputes everything from the
 * PEM and trusts none of the fingerprints the gateway sent along.
 */
function checkedChain(chainPem: string, mspId: string): X509Certificate[] {
  const chain: X509Certificate[] = [];
  for (const block of chainPem.match(PEM_BLOCK) ?? []) {
    try {
      chain.push(new X509Certificate(block));
    } catch {
      throw unavailable(`the session certificate published for ${mspId} holds an unreadable certificate`);
    }
  }
  if (chain.length < 2) throw unavailable(`the session certificate published for ${mspId} has no CA certificate`);
  for (let i = 1; i < chain.length; i++) {
    const child = chain[i - 1] as X509Certificate;
    const parent = chain[i] as X509Certificate;
    if (!parent.ca || !child.checkIssued(parent) || !child.verify(parent.publicKey)) throw unavailable(`the chain published for ${mspId} is broken at certificate ${i}`);
  }
  // Every certificate, the CA that would be pinned included, must be valid now: an expired CA is
  // no anchor to pin.
  const now = Date.now();
  chain.forEach((cert, i) => {
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
      throw unavailable(`certificate ${i} of the chain published for ${mspId} is not valid now (${cert.validFrom} – ${cert.validTo})`);
    }
  });
  return chain;
}

/**
 * Fetches the session certificate `mspId` published on the member registry through a gateway,
 * checks its chain and compares its CA with the wallet's pin for that MSP (trust on first use).
 * Throws BANK_PIN_MISMATCH when the CA differs from the pinned one, unless `repin`.
 */
export async function publishedTrust(mspId: string, opts: GatewayTrustOptions): Promise<PublishedTrust> {
  const published = await fetchPublished(mspId, opts);
  const chain = checkedChain(published.chain, mspId);
  const signer = chain[0] as X509Certificate;
  const ca = chain[chain.length - 1] as X509Certificate;
  const pinsFile = opts.pinsFile ?? defaultPinsPath();
  const pins = readBankPins(pinsFile);
  const pinned = Object.hasOwn(pins, mspId) ? pins[mspId] : undefined;
  if (pinned && pinned.caFingerprint256 !== ca.fingerprint256 && !opts.repin) {
    throw new WalletError(
      WalletErrorCodes.BANK_PIN_MISMATCH,
      `the CA behind ${mspId}'s published session certificate changed since you pinned it on ${pinned.pinnedAt}; check the new CA fingerprint with the bank, then run again with --repin`,
      { mspId, pinned: pinned.caFingerprint256, published: ca.fingerprint256, publishedCaSubject: ca.subject, pinsFile },
    );
  }
  const pin = !pinned ? 'new' : pinned.caFingerprint256 === ca.fingerprint256 ? 'matched' : 'repinned';
  return {
    mspId,
    issuerPem: (chain[1] as X509Certificate).toString(),
    signerFingerprint256: signer.fingerprint256,
    caFingerprint256: ca.fingerprint256,
    pin,
    ...(pin === 'repinned' && pinned && { previousPin: pinned }),
    savePin() {
      if (pin === 'matched') return;
      const current = readBankPins(pinsFile);
      current[mspId] = { caFingerprint256: ca.fingerprint256, caSubject: ca.subject, pinnedAt: new Date().toISOString(), source: opts.gatewayUrl };
      writeBankPins(pinsFile, current);
    },
  };
}
