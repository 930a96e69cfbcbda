/** Optional parts of a {@link KycError}. */
export interface KycErrorOptions {
  /** JSON-safe extra information for the caller. */
  details?: unknown;
  /** The error this one wraps (never shown to clients). */
  cause?: unknown;
}

/**
 * The one base of every coded error in kyc-ledger, in the chaincode and in the gateways: a stable
 * SCREAMING_SNAKE `code` that is the same from chaincode to HTTP, `details` for the caller, and the
 * `cause` chain for logs.
 */
export class KycError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, options: KycErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KycError';
    this.code = code;
    this.details = options.details;
  }
}

/** True when `error` is a {@link KycError}, optionally with the given code. */
export function isKycError(error: unknown, code?: string): error is KycError {
  return error instanceof KycError && (code === undefined || error.code === code);
}
