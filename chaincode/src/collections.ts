// Collection names are part of the shared contract (@kyc-ledger/api): the network tooling defines
// them, the chaincode and the issuer gateway read them.
export { investorCollection, issuerCollection, isIssuerCollection } from '@kyc-ledger/api';
