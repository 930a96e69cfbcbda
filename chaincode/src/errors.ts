// The chaincode's coded error lives in the shared contract (@kyc-ledger/api), so the gateway parses
// exactly what the chaincode throws.
export { ChaincodeError, ErrorCodes, parseErrorBody, type ErrorBody, type LedgerErrorCode as ErrorCode } from '@kyc-ledger/api';
