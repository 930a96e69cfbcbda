// Attestations and their inputs are part of the shared contract (@kyc-ledger/api).
export {
  REVOCATION_REASONS, attestationInputSchema, bulkInputSchema, rotationInputSchema, revocationReasonSchema, idSchema, timestampSchema, contentOf,
  type RevocationReason, type AttestationInput, type Attestation,
} from '@kyc-ledger/api';
