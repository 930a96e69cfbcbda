/**
 * The wallet's encryption at rest: AES-256-GCM under a key derived from the person's passphrase
 * with PBKDF2-SHA-256 (WebCrypto; the derived key is not extractable). Only WebCrypto globals, no
 * DOM, so unit tests run it in Node.
 */

/**
 * PBKDF2-SHA-256 iterations for new wallets: OWASP's 2023 figure for SHA-256. About half a
 * second on a phone, once per visit; the count is stored with the wallet, so it can grow later.
 */
export const PBKDF2_ITERATIONS = 600_000;
/** Fewest iterations a stored wallet may name (a tampered record must not weaken the key). */
export const MIN_PBKDF2_ITERATIONS = 100_000;
/** Shortest passphrase accepted for a new wallet. */
export const MIN_PASSPHRASE_LENGTH = 10;

/** How the key was derived: stored in the clear next to the sealed data. */
export interface KdfParams {
  algorithm: 'PBKDF2-SHA-256';
  iterations: number;
  /** 16 random bytes, base64. */
  salt: string;
}

/** One sealed value: AES-GCM ciphertext (with its tag) and the 12-byte IV, both base64. */
export interface Sealed {
  iv: string;
  ciphertext: string;
}

/** Thrown when the passphrase is wrong or a sealed value was altered (GCM cannot tell them apart). */
export class BoxOpenError extends Error {
  override readonly name = 'BoxOpenError';
  readonly code = 'BAD_PASSPHRASE';
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const utf8 = new TextEncoder();

/** Fresh parameters for a new wallet. */
export function newKdfParams(iterations = PBKDF2_ITERATIONS): KdfParams {
  return { algorithm: 'PBKDF2-SHA-256', iterations, salt: toBase64(crypto.getRandomValues(new Uint8Array(16))) };
}

/** The AES-GCM key of `passphrase` under `params` (non-extractable). */
export async function deriveBoxKey(passphrase: string, params: KdfParams): Promise<CryptoKey> {
  if (params.algorithm !== 'PBKDF2-SHA-256' || !Number.isInteger(params.iterations) || params.iterations < MIN_PBKDF2_ITERATIONS) {
    throw new RangeError('the stored key derivation parameters are not acceptable');
  }
  const material = await crypto.subtle.importKey('raw', utf8.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(params.salt), iterations: params.iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Seals a JSON value. `label` is bound as additional data, so a sealed value cannot be moved to
 * another slot (the bundle where the request is expected, say).
 */
export async function seal(key: CryptoKey, label: string, value: unknown): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8.encode(label) }, key, utf8.encode(JSON.stringify(value)));
  return { iv: toBase64(iv), ciphertext: toBase64(new Uint8Array(ciphertext)) };
}

/** Opens what {@link seal} sealed under the same label; throws {@link BoxOpenError} otherwise. */
export async function open<T>(key: CryptoKey, label: string, sealed: Sealed): Promise<T> {
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: utf8.encode(label) }, key, fromBase64(sealed.ciphertext));
  } catch {
    throw new BoxOpenError('wrong passphrase, or the stored data was altered');
  }
  return JSON.parse(new TextDecoder().decode(plain)) as T;
}
