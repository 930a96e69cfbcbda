import { SESSION_URI_PREFIX } from '@kyc-ledger/crypto';

/**
 * The session URI a scanned or pasted text carries: the `kycledger://session?d=…` URI itself, or a
 * web wallet link `https://…/app/wallet/#kycledger://session?d=…` (what a bank gateway with a
 * `walletUrl` puts in its QR code), whose fragment is the URI. One QR code thus serves the web
 * wallet and this one. Anything else is returned as it is, for the decoder to refuse with its code.
 */
export function sessionUriFromLink(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith(SESSION_URI_PREFIX)) return trimmed;
  const hash = trimmed.indexOf('#');
  if (hash < 0 || !/^https?:\/\//i.test(trimmed)) return trimmed;
  const fragment = trimmed.slice(hash + 1);
  // A browser may have percent-encoded the fragment; the URI's own characters never need it.
  let uri = fragment;
  try {
    uri = decodeURIComponent(fragment);
  } catch {
    // Not percent-encoding: keep it as it is.
  }
  return uri.startsWith(SESSION_URI_PREFIX) ? uri : trimmed;
}
