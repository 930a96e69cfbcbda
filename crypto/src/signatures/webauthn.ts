import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { bytesEqual, concatBytes, utf8ToBytes } from '../bytes.js';
import { opensslVerifyP256 } from './openssl.js';
import { fail, VerifyFailureReasons, type VerifyFailureReason } from './verifyResult.js';

export { DEFAULT_ORIGIN, DEFAULT_RP_ID, FLAG_USER_PRESENT, FLAG_USER_VERIFIED, buildAuthenticatorData, buildClientDataJSON, webauthnChallenge } from './webauthnData.js';
import { FLAG_USER_PRESENT, FLAG_USER_VERIFIED, webauthnChallenge } from './webauthnData.js';

/** The parts of a WebAuthn assertion, base64url without padding as browsers give them. */
export interface WebAuthnAssertion {
  authenticatorData: string;
  clientDataJSON: string;
  /** DER-encoded ECDSA P-256 signature, base64url. */
  signature: string;
}

/** Optional relying-party checks; a passkey is already scoped to one RP by the browser. */
export interface WebAuthnExpectation {
  rpId?: string;
  origins?: readonly string[];
  requireUserVerification?: boolean;
}

/** Signs like an authenticator: DER ECDSA P-256 over authenticatorData ‖ sha256(clientDataJSON). */
export function signWebAuthn(authenticatorData: Uint8Array, clientDataJSON: string, privateKey: Uint8Array): Uint8Array {
  // prehash (noble's default) applies the SHA-256 that WebAuthn's ES256 expects.
  return p256.sign(concatBytes(authenticatorData, sha256(utf8ToBytes(clientDataJSON))), privateKey, { format: 'der' });
}

function decode64(value: string): Uint8Array | undefined {
  try {
    return base64urlnopad.decode(value.replace(/=+$/, ''));
  } catch {
    return undefined;
  }
}

function parseClientData(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

type Check = { ok: true } | { ok: false; reason: VerifyFailureReason; message: string };

/**
 * Verifies a WebAuthn-style assertion over `message` for a compressed P-256 key: type
 * `webauthn.get`, challenge = {@link webauthnChallenge}(message), user-present flag, then the
 * signature. High-S is accepted because authenticators do not normalise S. Never throws.
 */
export function verifyWebAuthn(message: Uint8Array, assertion: WebAuthnAssertion, publicKey: Uint8Array, expect: WebAuthnExpectation = {}): Check {
  const authData = decode64(assertion.authenticatorData);
  const clientBytes = decode64(assertion.clientDataJSON);
  const der = decode64(assertion.signature);
  if (!authData || !clientBytes || !der) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'webauthn parts must be base64url');
  if (authData.length < 37) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'authenticatorData is shorter than 37 bytes');
  const client = parseClientData(clientBytes);
  if (!client) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'clientDataJSON is not a JSON object');
  if (client['type'] !== 'webauthn.get') return fail(VerifyFailureReasons.WEBAUTHN_TYPE_MISMATCH, 'clientDataJSON type must be webauthn.get');
  if (client['challenge'] !== webauthnChallenge(message)) {
    return fail(VerifyFailureReasons.WEBAUTHN_CHALLENGE_MISMATCH, 'clientDataJSON challenge is not the statement hash');
  }
  if (expect.origins && !expect.origins.includes(String(client['origin']))) {
    return fail(VerifyFailureReasons.WEBAUTHN_ORIGIN_MISMATCH, `origin ${String(client['origin'])} is not accepted`);
  }
  if (expect.rpId !== undefined && !bytesEqual(authData.subarray(0, 32), sha256(utf8ToBytes(expect.rpId)))) {
    return fail(VerifyFailureReasons.WEBAUTHN_RP_MISMATCH, 'authenticatorData rpIdHash is not the expected relying party');
  }
  const flags = authData[32] as number;
  if ((flags & FLAG_USER_PRESENT) === 0) return fail(VerifyFailureReasons.WEBAUTHN_USER_NOT_PRESENT, 'user-present flag is not set');
  if (expect.requireUserVerification && (flags & FLAG_USER_VERIFIED) === 0) {
    return fail(VerifyFailureReasons.WEBAUTHN_USER_NOT_VERIFIED, 'user-verified flag is not set');
  }
  try {
    p256.Signature.fromBytes(der, 'der');
  } catch {
    return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'signature is not a valid DER ECDSA signature');
  }
  const signed = concatBytes(authData, sha256(clientBytes));
  const valid = opensslVerifyP256(signed, der, publicKey);
  return valid ? { ok: true } : fail(VerifyFailureReasons.SIGNATURE_MISMATCH, 'P-256 signature does not verify');
}
