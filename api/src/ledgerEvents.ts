import { z } from 'zod';
import { RegistryOps, type RegistryOp } from './registryChanges';

/**
 * The one chaincode event name. A Fabric peer keeps only the last `setEvent` of a transaction, so
 * every transaction that changes the ledger emits exactly one event under this name, listing every
 * change it made; clients subscribe to this name and switch on each change's `type`.
 */
export const LEDGER_EVENT_NAME = 'LedgerChanged';

/** The kinds of change; their names never change meaning (they were the event names before). */
export const ChangeTypes = {
  PROBE_VALUE_SET: 'ProbeValueSet',
  REGISTRY_BOOTSTRAPPED: 'RegistryBootstrapped',
  PROPOSAL_CREATED: 'ProposalCreated',
  PROPOSAL_APPROVED: 'ProposalApproved',
  PROPOSAL_EXECUTED: 'ProposalExecuted',
  /** An executed removeMember proposal took the org out of the registry. */
  MEMBER_REMOVED: 'MemberRemoved',
  /** A certifier lost its accreditation: by a deaccredit proposal, or because its org was removed. */
  ACCREDITATION_REVOKED: 'AccreditationRevoked',
  SESSION_CERTIFICATE_SET: 'SessionCertificateSet',
  ATTESTATION_REGISTERED: 'AttestationRegistered',
  ATTESTATIONS_REGISTERED: 'AttestationsRegistered',
  ATTESTATION_REVOKED: 'AttestationRevoked',
  ATTESTATION_RENEWED: 'AttestationRenewed',
  ATTESTATION_ROTATED: 'AttestationRotated',
  CONSENT_RECORDED: 'ConsentRecorded',
  ASSET_CREATED: 'AssetCreated',
  ASSET_FROZEN: 'AssetFrozen',
  ASSET_UNFROZEN: 'AssetUnfrozen',
  OFFICERS_CHANGED: 'OfficersChanged',
  RULE_SET_PUBLISHED: 'RuleSetPublished',
  INVESTOR_RECORD_PUT: 'InvestorRecordPut',
  INVESTOR_ERASED: 'InvestorErased',
  ADDRESS_REGISTERED: 'AddressRegistered',
  ADDRESS_DEREGISTERED: 'AddressDeregistered',
  ADDRESS_FROZEN: 'AddressFrozen',
  ADDRESS_UNFROZEN: 'AddressUnfrozen',
  ADDRESS_RECOVERED: 'AddressRecovered',
  HOLDINGS_CHANGED: 'HoldingsChanged',
  DECISION_RECORDED: 'DecisionRecorded',
  /** One sequenced change of an asset's authenticated-address registry (see registryChanges.ts). */
  REGISTRY_CHANGED: 'RegistryChanged',
} as const;

/** One of {@link ChangeTypes}. */
export type ChangeType = (typeof ChangeTypes)[keyof typeof ChangeTypes];

const T = ChangeTypes;
const text = z.string();
const change = <K extends ChangeType, S extends z.ZodRawShape>(type: K, shape: S) => z.strictObject({ type: z.literal(type), ...shape });
const assetAddress = { asset: text, address: text };
const investorRef = { issuer: text, certifier: text, id: text };

/**
 * Every change and its fields. Identifiers, hashes and public addresses only: no personal field
 * value ever appears in an event, since every member (and every block) sees it.
 */
export const ledgerChangeSchema = z.discriminatedUnion('type', [
  change(T.PROBE_VALUE_SET, { key: text, txId: text }),
  change(T.REGISTRY_BOOTSTRAPPED, { members: z.array(text), accreditations: z.array(text) }),
  change(T.PROPOSAL_CREATED, { id: text, action: text, proposer: text }),
  change(T.PROPOSAL_APPROVED, { id: text, approver: text }),
  change(T.PROPOSAL_EXECUTED, { id: text, action: text }),
  change(T.MEMBER_REMOVED, { mspId: text }),
  change(T.ACCREDITATION_REVOKED, { certifier: text, revokedAt: text }),
  change(T.SESSION_CERTIFICATE_SET, { mspId: text, fingerprint256: text, caFingerprint256: text }),
  change(T.ATTESTATION_REGISTERED, { id: text, subject: text, certifier: text }),
  change(T.ATTESTATIONS_REGISTERED, { certifier: text, registered: z.number().int().nonnegative(), ids: z.array(text) }),
  change(T.ATTESTATION_REVOKED, { id: text, reason: text }),
  change(T.ATTESTATION_RENEWED, { id: text, expiresAt: text }),
  change(T.ATTESTATION_ROTATED, { id: text, newId: text, newSubject: text }),
  // A count only: which sessions a bank verified is the bank's own business (its private receipts).
  change(T.CONSENT_RECORDED, { recorded: z.number().int().min(0) }),
  change(T.ASSET_CREATED, { id: text, issuer: text }),
  change(T.ASSET_FROZEN, { id: text }),
  change(T.ASSET_UNFROZEN, { id: text }),
  change(T.OFFICERS_CHANGED, { id: text, version: z.number().int(), threshold: z.number().int(), officers: z.number().int() }),
  change(T.RULE_SET_PUBLISHED, { kind: text, scope: text, effectiveFrom: text, hash: text }),
  change(T.INVESTOR_RECORD_PUT, investorRef),
  change(T.INVESTOR_ERASED, investorRef),
  change(T.ADDRESS_REGISTERED, assetAddress),
  change(T.ADDRESS_DEREGISTERED, assetAddress),
  change(T.ADDRESS_FROZEN, assetAddress),
  change(T.ADDRESS_UNFROZEN, assetAddress),
  change(T.ADDRESS_RECOVERED, { asset: text, from: text, to: text }),
  change(T.HOLDINGS_CHANGED, { asset: text }),
  change(T.DECISION_RECORDED, { asset: text, id: text }),
  change(T.REGISTRY_CHANGED, { asset: text, seq: z.number().int().positive(), op: z.enum(Object.values(RegistryOps) as [RegistryOp, ...RegistryOp[]]), address: text }),
]);

/** One change a transaction made. */
export type LedgerChange = z.infer<typeof ledgerChangeSchema>;

/** The fields of the change of type `K`, without its `type`. */
export type ChangeFields<K extends ChangeType> = Omit<Extract<LedgerChange, { type: K }>, 'type'>;

/** The payload of the {@link LEDGER_EVENT_NAME} event: every change, in the order it was made. */
export const ledgerEventSchema = z.strictObject({ changes: z.array(ledgerChangeSchema).min(1) });

/** A parsed {@link LEDGER_EVENT_NAME} event. */
export type LedgerEvent = z.infer<typeof ledgerEventSchema>;

/** Parses a chaincode event's payload bytes; throws (a ZodError or SyntaxError) when they are not a ledger event. */
export function parseLedgerEvent(payload: Uint8Array): LedgerEvent {
  return ledgerEventSchema.parse(JSON.parse(Buffer.from(payload).toString('utf8')));
}
