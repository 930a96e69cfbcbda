export { LedgerErrorCodes } from './ledgerErrorCodes';
export type { LedgerErrorCode } from './ledgerErrorCodes';
export { KycError, isKycError } from './kycError';
export type { KycErrorOptions } from './kycError';
export { LEDGER_EVENT_NAME, ChangeTypes, ledgerChangeSchema, ledgerEventSchema, parseLedgerEvent } from './ledgerEvents';
export type { ChangeType, ChangeFields, LedgerChange, LedgerEvent } from './ledgerEvents';
