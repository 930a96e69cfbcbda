import { GatewayErrorCodes, KycError } from '@kyc-ledger/api';

export { GatewayErrorCodes, type GatewayErrorCode } from '@kyc-ledger/api';

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
 * The root of every error the gateway answers with, built on the shared base error (`KycError`,
 * also the base of the chaincode's `ChaincodeError`). `code` is a stable SCREAMING_SNAKE name that
 * is the same from chaincode to HTTP; it may be a code the gateway does not know (a newer
 * chaincode), which is answered as 500 and logged.
 */
export class GatewayError extends KycError {
  readonly transactionId: string | undefined;

  constructor(code: string, message: string, options: GatewayErrorOptions = {}) {
    super(code, message, { details: options.details, cause: options.cause });
    this.name = 'GatewayError';
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
