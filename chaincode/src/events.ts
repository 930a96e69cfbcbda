/** Names of the chaincode events; clients subscribe by these, so they never change meaning. */
export const Events = {
  PROBE_VALUE_SET: 'ProbeValueSet',
  REGISTRY_BOOTSTRAPPED: 'RegistryBootstrapped',
  PROPOSAL_CREATED: 'ProposalCreated',
  PROPOSAL_APPROVED: 'ProposalApproved',
  PROPOSAL_EXECUTED: 'ProposalExecuted',
  ATTESTATION_REGISTERED: 'AttestationRegistered',
  ATTESTATIONS_REGISTERED: 'AttestationsRegistered',
  ATTESTATION_REVOKED: 'AttestationRevoked',
  ATTESTATION_RENEWED: 'AttestationRenewed',
  ATTESTATION_ROTATED: 'AttestationRotated',
  CONSENT_RECORDED: 'ConsentRecorded',
} as const;
