/**
 * Why a signature did not verify. Verification returns these instead of throwing, so a bad
 * signature is an ordinary, coded answer (HTTP 4xx at the gateway), never a crash.
 */
export const VerifyFailureReasons = {
  INVALID_STATEMENT: 'INVALID_STATEMENT',
  INVALID_ADDRESS: 'INVALID_ADDRESS',
  CHAIN_MISMATCH: 'CHAIN_MISMATCH',
  NETWORK_MISMATCH: 'NETWORK_MISMATCH',
  PURPOSE_MISMATCH: 'PURPOSE_MISMATCH',
  UNSUPPORTED_SCHEME: 'UNSUPPORTED_SCHEME',
  INVALID_SIGNATURE_ENCODING: 'INVALID_SIGNATURE_ENCODING',
  NON_CANONICAL_SIGNATURE: 'NON_CANONICAL_SIGNATURE',
  SIGNATURE_MISMATCH: 'SIGNATURE_MISMATCH',
  WEBAUTHN_TYPE_MISMATCH: 'WEBAUTHN_TYPE_MISMATCH',
  WEBAUTHN_CHALLENGE_MISMATCH: 'WEBAUTHN_CHALLENGE_MISMATCH',
  WEBAUTHN_ORIGIN_MISMATCH: 'WEBAUTHN_ORIGIN_MISMATCH',
  WEBAUTHN_RP_MISMATCH: 'WEBAUTHN_RP_MISMATCH',
  WEBAUTHN_USER_NOT_PRESENT: 'WEBAUTHN_USER_NOT_PRESENT',
  WEBAUTHN_USER_NOT_VERIFIED: 'WEBAUTHN_USER_NOT_VERIFIED',
} as const;

/** One of {@link VerifyFailureReasons}. */
export type VerifyFailureReason = (typeof VerifyFailureReasons)[keyof typeof VerifyFailureReasons];

/** Outcome of a verification: the proven signer's normalised address, or a coded reason. */
export type VerifyResult =
  | { ok: true; address: string }
  | { ok: false; reason: VerifyFailureReason; message: string };

/** Builds a failed {@link VerifyResult}. */
export function fail(reason: VerifyFailureReason, message: string): { ok: false; reason: VerifyFailureReason; message: string } {
  return { ok: false, reason, message };
}
