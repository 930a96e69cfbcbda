/**
 * Codes the gateways raise themselves. Chaincode and crypto codes travel through unchanged; every
 * code has one HTTP status in the gateway's error table (gateway/src/errorTable.ts).
 *
 * CHAINCODE_FAILED: the chaincode (or the peer running it) failed without a coded error: a plain
 * `Error` in a contract, a fabric-contract-api argument error, a peer-side failure, or a code this
 * gateway does not know. The client gets this one code and none of the raw text (logged only).
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
  CHAINCODE_FAILED: 'CHAINCODE_FAILED',
  INVALID_CONFIG: 'INVALID_CONFIG',
} as const;

/** One of {@link GatewayErrorCodes}. */
export type GatewayErrorCode = (typeof GatewayErrorCodes)[keyof typeof GatewayErrorCodes];

