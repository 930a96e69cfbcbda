/**
 * Every chaincode transaction, by the name clients call it with (`<contract>:<function>`, see
 * docs/chaincode-api.md). The gateway's ledger calls are typed over these names; the unit test
 * test/unit/chaincode/transactions.test.ts compares them with the contracts' own metadata.
 */
export const Transactions = {
  ASSET_CREATE: 'asset:create',
  ASSET_GET: 'asset:get', // evaluate only
  ASSET_CHANGE_OFFICERS: 'asset:changeOfficers',
  ASSET_FREEZE: 'asset:freeze',
  ASSET_UNFREEZE: 'asset:unfreeze',
  ASSET_PUBLISH_RULE_SET: 'asset:publishRuleSet',
  ASSET_RULE_SETS: 'asset:ruleSets', // evaluate only
  ASSET_RULE_SET: 'asset:ruleSet', // evaluate only
  ATTESTATION_REGISTER: 'attestation:register',
  ATTESTATION_REGISTER_BULK: 'attestation:registerBulk',
  ATTESTATION_REVOKE: 'attestation:revoke',
  ATTESTATION_RENEW: 'attestation:renew',
  ATTESTATION_ROTATE: 'attestation:rotate',
  ATTESTATION_GET: 'attestation:get', // evaluate only
  ATTESTATION_LIST_BY_SUBJECT: 'attestation:listBySubject', // evaluate only
  ATTESTATION_FIND_DUPLICATES: 'attestation:findDuplicates', // evaluate only
  ATTESTATION_STATUS: 'attestation:status', // evaluate only
  CONSENT_RECORD: 'consent:record',
  CONSENT_RECORD_BATCH: 'consent:recordBatch',
  CONSENT_GET: 'consent:get', // evaluate only
  INVESTOR_PUT: 'investor:put',
  INVESTOR_GET: 'investor:get', // evaluate only
  INVESTOR_ERASE: 'investor:erase',
  PROBE_PING: 'probe:ping', // evaluate only
  PROBE_PUT: 'probe:put',
  PROBE_GET: 'probe:get', // evaluate only
  PROBE_VERSION: 'probe:version', // evaluate only; answers a ChaincodeVersion
  REGISTRATION_APPROVAL_REQUEST: 'registration:approvalRequest', // evaluate only
  REGISTRATION_REGISTER: 'registration:register',
  REGISTRATION_DEREGISTER: 'registration:deregister',
  REGISTRATION_FREEZE: 'registration:freeze',
  REGISTRATION_UNFREEZE: 'registration:unfreeze',
  REGISTRATION_RECOVER: 'registration:recover',
  REGISTRATION_GET: 'registration:get', // evaluate only
  REGISTRATION_LIST: 'registration:list', // evaluate only
  REGISTRATION_BATCH: 'registration:batch',
  REGISTRATION_CHANGES: 'registration:changes', // evaluate only
  REGISTRY_BOOTSTRAP: 'registry:bootstrap',
  REGISTRY_LIST_MEMBERS: 'registry:listMembers', // evaluate only
  REGISTRY_GET_ACCREDITATION: 'registry:getAccreditation', // evaluate only
  REGISTRY_PROPOSE: 'registry:propose',
  REGISTRY_APPROVE: 'registry:approve',
  REGISTRY_GET_PROPOSAL: 'registry:getProposal', // evaluate only
  REGISTRY_LIST_PROPOSALS: 'registry:listProposals', // evaluate only
  REGISTRY_LIST_ACCREDITATIONS: 'registry:listAccreditations', // evaluate only
  REGISTRY_LIST_RULE_SETS: 'registry:listRuleSets', // evaluate only
  REGISTRY_SET_SESSION_CERTIFICATE: 'registry:setSessionCertificate',
  REGISTRY_GET_SESSION_CERTIFICATE: 'registry:getSessionCertificate', // evaluate only
  TRANSFER_DETECT: 'transfer:detect', // evaluate only
  TRANSFER_MESSAGE: 'transfer:message', // evaluate only
  TRANSFER_RECORD: 'transfer:record',
  TRANSFER_DECISION: 'transfer:decision', // evaluate only
  TRANSFER_EXECUTE: 'transfer:execute',
  TRANSFER_RECOVER_HOLDINGS: 'transfer:recoverHoldings',
  TRANSFER_HOLDING: 'transfer:holding', // evaluate only
} as const;

/** One of {@link Transactions}. */
export type TransactionName = (typeof Transactions)[keyof typeof Transactions];
