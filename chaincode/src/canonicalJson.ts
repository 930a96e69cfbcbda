// Canonical JSON is part of the shared contract (@kyc-ledger/api): stored bytes and hashes depend on it.
export { canonicalJson } from '@kyc-ledger/api';
