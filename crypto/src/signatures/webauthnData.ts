import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { concatBytes, u32be, utf8ToBytes } from '../bytes.js';

// What an authenticator signs for the p256-webauthn scheme, without Node built-ins, so a browser
// wallet that signs with a WebCrypto key builds exactly what the verifier checks.

/** Relying-party id our own wallet uses for passkey-style signatures. */
export const DEFAULT_RP_ID = 'kyc-ledger.local';
/** Origin our own wallet puts in clientDataJSON. */
export const DEFAULT_ORIGIN = 'https://kyc-ledger.local';

/** authenticatorData flag bit UP (WebAuthn §6.1): the user was present. */
export const FLAG_USER_PRESENT = 0x01;
/** authenticatorData flag bit UV: the user was verified (PIN, biometrics). */
export const FLAG_USER_VERIFIED = 0x04;

/** The challenge a statement is signed under: base64url(sha256(message)). */
export function webauthnChallenge(message: Uint8Array): string {
  return base64urlnopad.encode(sha256(message));
}

/** authenticatorData = sha256(rpId) ‖ flags ‖ signCount (u32 BE); no extensions, no attested data. */
export function buildAuthenticatorData(rpId: string, flags: number, signCount: number): Uint8Array {
  return concatBytes(sha256(utf8ToBytes(rpId)), Uint8Array.of(flags), u32be(signCount));
}

/** clientDataJSON in the member order browsers emit. */
export function buildClientDataJSON(challenge: string, origin: string): string {
  return JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false });
}
