export { LedgerErrorCodes } from './ledgerErrorCodes';
export type { LedgerErrorCode } from './ledgerErrorCodes';
export { KycError, isKycError } from './kycError';
export type { KycErrorOptions } from './kycError';
