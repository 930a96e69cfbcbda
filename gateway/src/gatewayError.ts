/**
 * Codes the gateway itself raises. Chaincode and crypto codes travel through unchanged; every code
 * the gateway knows has one HTTP status in {@link ERROR_TABLE}.
 */
export const GatewayErrorCodes = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  SESSION_ALREADY_USED: 'SESSION_ALREADY_USED',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  SUBMISSION_MALFORMED: 'SUBMISSION_MALFORMED',
  CONSENT_MISMATCH: 'CONSENT_MISMATCH',
  NOT_ACCREDITED: 'NOT_ACCREDITED',
  OUT_OF_SCOPE: 'OUT_OF_SCOPE',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  ATTESTATION_NOT_ACTIVE: 'ATTESTATION_NOT_ACTIVE',
  APPROVALS_INSUFFICIENT: 'APPROVALS_INSUFFICIENT',
  TRANSFER_RESTRICTED: 'TRANSFER_RESTRICTED',
  PRIVATE_DATA_UNAVAILABLE: 'PRIVATE_DATA_UNAVAILABLE',
  ERASED: 'ERASED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  COMMIT_FAILED: 'COMMIT_FAILED',
  INTERNAL: 'INTERNAL',
  INVALID_CONFIG: 'INVALID_CONFIG',
} as const;

/** One of {@link GatewayErrorCodes}. */
export type GatewayErrorCode = (typeof GatewayErrorCodes)[keyof typeof GatewayErrorCodes];

/** Optional parts of a {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** JSON-safe extra information; shown to clients only for 4xx answers. */
  details?: unknown;
  /** The error this one wraps (never shown to clients). */
  cause?: unknown;
  /** The Fabric transaction the failure belongs to, when there was one. */
  transactionId?: string;
}

/**
 * The root of every error the gateway answers with. `code` is a stable SCREAMING_SNAKE name that
 * is the same from chaincode to HTTP; it may be a code the gateway does not know (a newer
 * chaincode), which is answered as 500 and logged.
 */
export class GatewayError extends Error {
  readonly code: string;
  readonly details: unknown;
  readonly transactionId: string | undefined;

  constructor(code: string, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.details = options.details;
    this.transactionId = options.transactionId;
  }
}

/** Where a rejected value was found in the request. */
export type IssueLocation = 'body' | 'query' | 'params' | 'headers';

/** One reason a request failed validation. */
export interface ValidationIssue {
  location: IssueLocation;
  /** Dotted path inside the location (`items.3.subject`); empty for the location itself. */
  path: string;
  message: string;
}

/** A request whose parameters, query or body do not match the route's schema. */
export class ValidationError extends GatewayError {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], message = 'the request does not match the schema of this endpoint') {
    super(GatewayErrorCodes.VALIDATION_FAILED, message);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** A configuration that cannot be used; `problems` lists every reason at once. */
export class GatewayConfigError extends GatewayError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], source?: string) {
    const where = source ? ` in ${source}` : '';
    super(GatewayErrorCodes.INVALID_CONFIG, `invalid gateway configuration${where}:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
    this.name = 'GatewayConfigError';
    this.problems = problems;
  }
}

/** True when `error` is a {@link GatewayError}, optionally with the given code. */
export function isGatewayError(error: unknown, code?: string): error is GatewayError {
  return error instanceof GatewayError && (code === undefined || error.code === code);
}
