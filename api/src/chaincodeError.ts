import { KycError } from './kycError';
import { LedgerErrorCodes, type LedgerErrorCode } from './ledgerErrorCodes';

/** The chaincode's error codes: the shared contract's list (`@kyc-ledger/api`). */
export const ErrorCodes = LedgerErrorCodes;

export interface ErrorBody {
  code: LedgerErrorCode;
  message: string;
  details?: unknown;
}

/**
 * Coded chaincode errors. The thrown message is the JSON form of {code, message, details}
 * because the peer passes only the message string back to the client; the gateway parses it
 * and maps `code` to an HTTP status in one table.
 */
export class ChaincodeError extends KycError {
  declare readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string, details?: unknown) {
    const body: ErrorBody = details === undefined ? { code, message } : { code, message, details };
    super(code, JSON.stringify(body), { details });
    this.name = 'ChaincodeError';
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
