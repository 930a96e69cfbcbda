/**
 * Coded chaincode errors. The thrown message is the JSON form of {code, message, details}
 * because the peer passes only the message string back to the client; the gateway parses it
 * and maps `code` to an HTTP status in one table.
 */
export const ErrorCodes = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  NOT_ACCREDITED: 'NOT_ACCREDITED',
  OUT_OF_SCOPE: 'OUT_OF_SCOPE',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  SESSION_ALREADY_USED: 'SESSION_ALREADY_USED',
  ATTESTATION_NOT_ACTIVE: 'ATTESTATION_NOT_ACTIVE',
  APPROVALS_INSUFFICIENT: 'APPROVALS_INSUFFICIENT',
  TRANSFER_RESTRICTED: 'TRANSFER_RESTRICTED',
  PRIVATE_DATA_UNAVAILABLE: 'PRIVATE_DATA_UNAVAILABLE',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class ChaincodeError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    const body: ErrorBody = details === undefined ? { code, message } : { code, message, details };
    super(JSON.stringify(body));
    this.name = 'ChaincodeError';
    this.code = code;
    this.details = details;
  }
}

/** Parses an error message produced by {@link ChaincodeError}; undefined when it is not one. */
export function parseErrorBody(message: string): ErrorBody | undefined {
  const start = message.indexOf('{"code":');
  if (start < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(message.slice(start));
    if (parsed && typeof parsed === 'object' && 'code' in parsed && 'message' in parsed) {
      return parsed as ErrorBody;
    }
  } catch {
    // Not ours: fall through.
  }
  return undefined;
}
