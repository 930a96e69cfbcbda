import {
  accreditationSchema, approvalRequestAnswerSchema, assetSchema, attestationSchema, decisionRefSchema, holdingAnswerSchema, holdingMoveSchema,
  investorErasureSchema, investorRecordSchema, investorRecordSummarySchema, memberSchema, registrationSchema, storedSignatureSchema, transferOutcomeSchema,
} from '@kyc-ledger/api';
import { attestationStatusSchema, decisionSchema, securitiesRuleSetSchema, storedRuleSetSchema, transferReasonSchema, transferVerdictSchema } from '@kyc-ledger/rules';
import { z } from 'zod';
import { named } from './schemaRegistry';

// The ledger objects the gateway answers, named for the OpenAPI document. The schemas themselves
// are the shared contract's (@kyc-ledger/api for stored objects, @kyc-ledger/rules for what the
// engines produce); this file only gives them their names under #/components/schemas.

export const StoredSignatureSchema = named('StoredSignatureEnvelope', storedSignatureSchema, 'A signature as stored with the object it signs');
export const AttestationSchema = named('Attestation', attestationSchema, 'An attestation on the ledger: commitments and metadata, never a personal value');
export const AccreditationSchema = named('Accreditation', accreditationSchema, 'A certifier\'s accreditation');
export const AttestationStatusSchema = named('AttestationStatus', attestationStatusSchema, 'The standing of one attestation at a time');
export const MemberSchema = named('Member', memberSchema, 'A consortium member organisation');

export const AssetSchema = named('Asset', assetSchema, 'An asset, its compliance officer set and frozen flag');
export const RegistrationSchema = named('Registration', registrationSchema, 'An investor address registered for an asset');
export const StoredInvestorRecordSchema = named('StoredInvestorRecord', investorRecordSchema, 'An investor record as kept in the issuer×certifier private collection');
export const InvestorRecordSummarySchema = named('InvestorRecordSummary', investorRecordSummarySchema, 'Which investor record was written (never its attributes)');
export const InvestorErasureSchema = named('InvestorErasure', investorErasureSchema, 'What an erasure purged');
export const ApprovalDigestSchema = named('ApprovalDigest', approvalRequestAnswerSchema, 'The action, the digest each officer signs offline, the threshold and the officers');
export const HoldingAnswerSchema = named('HoldingAnswer', holdingAnswerSchema, 'An address\'s holding and the asset\'s holder counts');
export const HoldingMoveSchema = named('HoldingMove', holdingMoveSchema, 'A recovered address\'s holding moved to its new address');
export const TransferOutcomeSchema = named('TransferOutcome', transferOutcomeSchema, 'A transfer recorded in the cap table');
export const DecisionRefSchema = named('DecisionRef', decisionRefSchema);

export const TransferReasonSchema = named('TransferReason', transferReasonSchema, 'One failing reason of a transfer check');
export const TransferVerdictSchema = named('TransferVerdict', transferVerdictSchema, 'An ERC-1404 verdict with every failing reason');
export const StoredRuleSetSchema = named('StoredRuleSet', storedRuleSetSchema, 'A rule set version (banking or securities), identified by the SHA-256 of its canonical JSON');
export const DecisionSchema = named('Decision', decisionSchema, 'A recorded transfer decision: the inputs the engine saw and its verdict');

/** A securities rule set as published on an asset's route: the scope defaults to the path's asset. */
export const SecuritiesRuleSetInputSchema = named(
  'SecuritiesRuleSetInput',
  securitiesRuleSetSchema.extend({ scope: securitiesRuleSetSchema.shape.scope.optional().describe('the asset of the path (the default)') }),
  'A securities rule set version (docs/compliance-rules.md); the chaincode validates it and lists every problem',
);

/** The answer to a write: the Fabric transaction and what the chaincode answered. */
export function writeResult<S extends z.ZodType>(id: string, result: S, description?: string) {
  return named(id, z.object({ transactionId: z.string(), result }), description);
}

/** A list the chaincode answers as a bare JSON array. */
export function listOf<S extends z.ZodType>(id: string, item: S, description?: string) {
  return named(id, z.array(item), description);
}
