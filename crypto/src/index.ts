/**
 * @packageDocumentation
 * The normative cryptographic core of kyc-ledger, shared by the chaincode, the REST gateway and
 * the person's wallet: CAIP-10 addresses, signed statements and their signature schemes, per-field
 * salted commitments, selective disclosure and the certifiers' duplicate marker. Everything is
 * deterministic except {@link generateKey} and {@link generateSalt} (and commitFields without
 * salts), which never run on a verification path. Formats: docs/protocol.md.
 */

// Errors
export * from './cryptoError.js';

// Addresses
export * from './caip10.js';
export { checksumAddress, ethereumAddressFromPublicKey } from './ethereumAddress.js';
export { BITCOIN_NETWORKS, bitcoinAddressFromPublicKey, type BitcoinAddressType, type BitcoinNetwork } from './bitcoinAddress.js';

// Statements and signatures
export * from './statement.js';
export * from './attestationRequestStatement.js';
export * from './signatureEnvelope.js';
export * from './signatures/verifyResult.js';
export * from './verifyStatementSignature.js';
export * from './signStatement.js';
export * from './keys.js';
export * from './eip712.js';
export { personalMessageDigest, recoverPersonalMessageSigner, signPersonalMessage, recoverEthereumSigner } from './signatures/eip191.js';
export { KYC_STATEMENT_TYPES, statementTypedData, statementTypedDataDigest } from './signatures/eip712Statement.js';
export { bitcoinMessageDigest, compactSize, recoverBitcoinMessageSigner, signBitcoinMessage } from './signatures/bip137.js';
export { signEd25519, verifyEd25519 } from './signatures/ed25519.js';
export * from './signatures/webauthn.js';
export { isCalendarDate, isUtcTimestamp } from './isoDate.js';

// Commitments
export * from './fieldCatalogue.js';
export { ISO_3166_ALPHA2 } from './countryCodes.js';
export * from './canonicalValue.js';
export * from './commitments.js';
export * from './disclosure.js';
export * from './duplicateMarker.js';

// Bank verification sessions (Node only: X.509 via node:crypto) and the wallet's answer
export * from './bankSession.js';

// Test vectors
export { vectorFiles, buildCommitmentVectors, buildSignatureVectors } from './vectors.js';
