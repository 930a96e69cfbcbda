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
  /** One party's personal inputs of a decision, in that investor's collection. */
  DECISION_PARTY: 'decision~party',
  /** Per investor: the keys of every decision input holding their attributes (see decisionStore). */
  INVESTOR_DECISIONS: 'investor~decisions',
  /** Left by an erasure: when and by whom, so later reads answer ERASED instead of NOT_FOUND. */
  INVESTOR_ERASED: 'investor~erased',
  /** Per asset: the newest sequence number of its registry changes (see registryChanges.ts). */
  REGISTRY_HEAD: 'registry~head',
  /** Per asset and zero-padded sequence number: one registry change, so key order is sequence order. */
  REGISTRY_CHANGE: 'registry~change',
} as const;

/** One of {@link ObjectTypes}. */
export type ObjectType = (typeof ObjectTypes)[keyof typeof ObjectTypes];
