/** The chaincode functions the gateway calls (docs/chaincode-api.md). */
export const LedgerFunctions = {
  PING: 'probe:ping',
  ATTESTATION_REGISTER: 'attestation:register',
  ATTESTATION_REGISTER_BULK: 'attestation:registerBulk',
  ATTESTATION_REVOKE: 'attestation:revoke',
  ATTESTATION_RENEW: 'attestation:renew',
  ATTESTATION_ROTATE: 'attestation:rotate',
  ATTESTATION_GET: 'attestation:get',
  ATTESTATION_LIST_BY_SUBJECT: 'attestation:listBySubject',
  ATTESTATION_STATUS: 'attestation:status',
  REGISTRY_LIST_MEMBERS: 'registry:listMembers',
  CONSENT_RECORD: 'consent:record',
  CONSENT_RECORD_BATCH: 'consent:recordBatch',
} as const;
