import { AdapterErrorCodes as A, GatewayErrorCodes as G, type ErrorCode } from '@kyc-ledger/api';
import { CryptoErrorCodes } from '@kyc-ledger/crypto';

/** HTTP status and RFC 9457 title of one error code. */
export interface ErrorClass {
  readonly status: number;
  readonly title: string;
}

const C = CryptoErrorCodes;

/**
 * The one table from error code to HTTP status, over the shared list of every code
 * (`ErrorCode` of @kyc-ledger/api: the chaincode's, the gateways' and the crypto core's);
 * `satisfies Record<ErrorCode, …>` makes the compiler reject a missing row and a row for a code
 * that does not exist. CHAINCODE_FAILED is 502: the gateway is fine, the chaincode behind it
 * answered with something that is not a coded error.
 */
export const ERROR_TABLE = {
  [G.INVALID_ARGUMENT]: { status: 400, title: 'Invalid argument' },
  [G.VALIDATION_FAILED]: { status: 400, title: 'Validation failed' },
  [G.UNAUTHENTICATED]: { status: 401, title: 'Unauthenticated' },
  [G.FORBIDDEN]: { status: 403, title: 'Forbidden' },
  [G.NOT_FOUND]: { status: 404, title: 'Not found' },
  [G.METHOD_NOT_ALLOWED]: { status: 405, title: 'Method not allowed' },
  [G.CONFLICT]: { status: 409, title: 'Conflict' },
  [G.SESSION_ALREADY_USED]: { status: 409, title: 'Session already used' },
  [G.SESSION_EXPIRED]: { status: 422, title: 'Session expired' },
  [G.SUBMISSION_MALFORMED]: { status: 400, title: 'Malformed wallet submission' },
  [G.CONSENT_MISMATCH]: { status: 422, title: 'Consent does not match the session' },
  [G.PAYLOAD_TOO_LARGE]: { status: 413, title: 'Payload too large' },
  [G.UNSUPPORTED_MEDIA_TYPE]: { status: 415, title: 'Unsupported media type' },
  [G.NOT_ACCREDITED]: { status: 422, title: 'Certifier not accredited' },
  [G.OUT_OF_SCOPE]: { status: 422, title: 'Out of accreditation scope' },
  [G.INVALID_SIGNATURE]: { status: 422, title: 'Invalid signature' },
  [G.ATTESTATION_NOT_ACTIVE]: { status: 422, title: 'Attestation not active' },
  [G.APPROVALS_INSUFFICIENT]: { status: 422, title: 'Not enough officer approvals' },
  [G.TRANSFER_RESTRICTED]: { status: 422, title: 'Transfer restricted' },
  [G.PRIVATE_DATA_UNAVAILABLE]: { status: 403, title: 'Private data not available' },
  [G.ERASED]: { status: 410, title: 'Erased' },
  [G.RATE_LIMITED]: { status: 429, title: 'Too many requests' },
  [G.HEADERS_TOO_LARGE]: { status: 431, title: 'Request headers too large' },
  [G.INTERNAL]: { status: 500, title: 'Internal error' },
  [G.INVALID_CONFIG]: { status: 500, title: 'Invalid gateway configuration' },
  [G.CHAINCODE_FAILED]: { status: 502, title: 'Chaincode failed' },
  [G.COMMIT_FAILED]: { status: 502, title: 'Transaction not committed' },
  [G.UPSTREAM_UNAVAILABLE]: { status: 503, title: 'Ledger unavailable' },
  // The RPC adapter's own codes; a gateway never raises them, but the shared list is one.
  [A.RESUME_TOKEN_EXPIRED]: { status: 410, title: 'Resume token expired' },
  [A.REQUEST_ID_REUSED]: { status: 409, title: 'Request id reused' },
  [A.SEQUENCE_GAP]: { status: 500, title: 'Registry sequence gap' },

  // Malformed input found by the crypto core inside the chaincode.
  [C.INVALID_ADDRESS]: { status: 400, title: 'Invalid address' },
  [C.INVALID_HEX]: { status: 400, title: 'Invalid hex' },
  [C.INVALID_STATEMENT]: { status: 400, title: 'Invalid statement' },
  [C.INVALID_SIGNATURE_ENCODING]: { status: 400, title: 'Invalid signature encoding' },
  [C.UNSUPPORTED_SCHEME]: { status: 400, title: 'Unsupported signature scheme' },
  [C.UNSUPPORTED_KEY_KIND]: { status: 400, title: 'Unsupported key kind' },
  [C.INVALID_PRIVATE_KEY]: { status: 400, title: 'Invalid private key' },
  [C.INVALID_TYPED_DATA]: { status: 400, title: 'Invalid typed data' },
  [C.INVALID_FIELD_NAME]: { status: 400, title: 'Invalid field name' },
  [C.INVALID_FIELD_VALUE]: { status: 400, title: 'Invalid field value' },
  [C.INVALID_SALT]: { status: 400, title: 'Invalid salt' },
  [C.INVALID_COMMITMENT]: { status: 400, title: 'Invalid commitment' },
  [C.INVALID_COMMITMENT_ROOT]: { status: 400, title: 'Invalid commitment root' },
  [C.MISSING_FIELD]: { status: 400, title: 'Missing field' },
  [C.INVALID_KEY]: { status: 400, title: 'Invalid key' },
  // Well-formed input that fails a cryptographic or binding check.
  [C.CHAIN_MISMATCH]: { status: 422, title: 'Chain mismatch' },
  [C.NETWORK_MISMATCH]: { status: 422, title: 'Network mismatch' },
  [C.PURPOSE_MISMATCH]: { status: 422, title: 'Purpose mismatch' },
  [C.KEY_MISMATCH]: { status: 422, title: 'Key mismatch' },
  [C.FIELD_NOT_COMMITTED]: { status: 422, title: 'Field not committed' },
  [C.DISCLOSURE_MISMATCH]: { status: 422, title: 'Disclosure mismatch' },
} as const satisfies Record<ErrorCode, ErrorClass>;

/** A code with a row in {@link ERROR_TABLE}. */
export type KnownErrorCode = keyof typeof ERROR_TABLE;

/** The row for `code`, or undefined for a code the gateway does not know. */
export function errorClassOf(code: string): ErrorClass | undefined {
  return Object.hasOwn(ERROR_TABLE, code) ? ERROR_TABLE[code as KnownErrorCode] : undefined;
}

/** The HTTP status for `code`; unknown codes are 500 (the caller logs them). */
export function httpStatusOf(code: string): number {
  return errorClassOf(code)?.status ?? 500;
}
