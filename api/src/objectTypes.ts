/**
 * The ledger's object types: each gets its own composite-key namespace ({@link compositeKey}),
 * in world state and in the private data collections.
 */
export const ObjectTypes = {
  CONFIG: 'config',
  MEMBER: 'member',
  ACCREDITATION: 'accreditation',
  PROPOSAL: 'proposal',
  SESSION_CERTIFICATE: 'sessioncert',
  ATTESTATION: 'attestation',
  ATTESTATION_BY_SUBJECT: 'attestation~subject',
  ATTESTATION_BY_DUPLICATE: 'attestation~dup',
  RECEIPT: 'receipt',
  ASSET: 'asset',
  RULE_SET: 'ruleset',
  RULE_SET_BY_HASH: 'ruleset~hash',
  REGISTRATION: 'registration',
  INVESTOR: 'investor',
  HOLDING: 'holding',
  HOLDERS: 'holders',
  DECISION: 'decision',
  DECISION_BY_INVESTOR: 'decision~investor',
} as const;

/** One of {@link ObjectTypes}. */
export type ObjectType = (typeof ObjectTypes)[keyof typeof ObjectTypes];
