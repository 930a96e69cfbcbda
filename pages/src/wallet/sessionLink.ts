import { SESSION_URI_PREFIX } from '@kyc-ledger/crypto/dist/bankSessionFormat.js';

/**
 * The session URI in what the person opened or scanned: either the bare
 * `kycledger://session?d=…` or a link to this page carrying it in its fragment
 * (`https://gateway/app/wallet/#kycledger://session?d=…`, the counter's QR code). Undefined when
 * neither. Pure, so it is unit tested in Node; the URI itself is decoded strictly later.
 */
export function sessionUriFrom(text: string): string | undefined {
  const value = text.trim();
  if (value.startsWith(SESSION_URI_PREFIX)) return value;
  const hash = value.indexOf('#');
  if (hash < 0 || !/^https?:\/\//i.test(value)) return undefined;
  return fragmentSessionUri(value.slice(hash));
}

/** The session URI in a page fragment (`location.hash`, with its `#`), undefined when it holds none. */
export function fragmentSessionUri(fragment: string): string | undefined {
  let value = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  // Some apps percent-encode the fragment when they pass the link on; the URI itself never holds '%'.
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return value.startsWith(SESSION_URI_PREFIX) ? value : undefined;
}
