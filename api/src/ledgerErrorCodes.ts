/**
 * Codes the chaincode answers with. The gateway passes them through unchanged and gives each one
 * HTTP status in its error table, which is typed over this list, so a new code without a row does
 * not compile.
 */
export const LedgerErrorCodes = {
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
  /** The record was erased (purged) on request; only hashes and verdicts remain. */
  ERASED: 'ERASED',
} as const;

/** One of {@link LedgerErrorCodes}. */
export type LedgerErrorCode = (typeof LedgerErrorCodes)[keyof typeof LedgerErrorCodes];
