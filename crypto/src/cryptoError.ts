/**
 * Stable error codes of the crypto core. They travel unchanged from the chaincode to the gateway's
 * HTTP problem answers, so a code is never renamed once it is used.
 */
export const CryptoErrorCodes = {
  INVALID_ADDRESS: 'INVALID_ADDRESS',
  INVALID_HEX: 'INVALID_HEX',
  INVALID_STATEMENT: 'INVALID_STATEMENT',
  CHAIN_MISMATCH: 'CHAIN_MISMATCH',
  NETWORK_MISMATCH: 'NETWORK_MISMATCH',
  PURPOSE_MISMATCH: 'PURPOSE_MISMATCH',
  INVALID_SIGNATURE_ENCODING: 'INVALID_SIGNATURE_ENCODING',
  UNSUPPORTED_SCHEME: 'UNSUPPORTED_SCHEME',
  UNSUPPORTED_KEY_KIND: 'UNSUPPORTED_KEY_KIND',
  INVALID_PRIVATE_KEY: 'INVALID_PRIVATE_KEY',
  KEY_MISMATCH: 'KEY_MISMATCH',
  INVALID_TYPED_DATA: 'INVALID_TYPED_DATA',
  INVALID_FIELD_NAME: 'INVALID_FIELD_NAME',
  INVALID_FIELD_VALUE: 'INVALID_FIELD_VALUE',
  INVALID_SALT: 'INVALID_SALT',
  INVALID_COMMITMENT: 'INVALID_COMMITMENT',
  INVALID_COMMITMENT_ROOT: 'INVALID_COMMITMENT_ROOT',
  FIELD_NOT_COMMITTED: 'FIELD_NOT_COMMITTED',
  MISSING_FIELD: 'MISSING_FIELD',
  INVALID_KEY: 'INVALID_KEY',
  DISCLOSURE_MISMATCH: 'DISCLOSURE_MISMATCH',
} as const;

/** One of {@link CryptoErrorCodes}. */
export type CryptoErrorCode = (typeof CryptoErrorCodes)[keyof typeof CryptoErrorCodes];

/**
 * Thrown for malformed input (never for a signature or disclosure that merely fails to verify:
 * those return `{ ok: false, reason }`). `details` is JSON-safe so the chaincode can pass it on.
 */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  readonly details: unknown;

  constructor(code: CryptoErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is a {@link CryptoError}, optionally with the given code. */
export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}
