// The parser of the chaincode's error text is part of the shared contract (@kyc-ledger/api).
export { parseChaincodeErrorBody, type ChaincodeErrorBody } from '@kyc-ledger/api';
