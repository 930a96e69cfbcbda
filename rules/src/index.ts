/**
 * The pure logic both the chaincode and the gateways run (no Fabric calls, deterministic): the
 * transfer-check compliance engines and rule sets, transfer-restriction codes and messages, and
 * attestation status. The chaincode runs it inside transactions; the gateways run the very same
 * code to replay decisions and answer reads from their replicas.
 */
export * from './compliance';
export { evaluateStatus, scopeProblems, accreditationProblem, type AttestationStatus, type StatusCode } from './attestationStatus';
export { verdictOf, type VerdictFacts } from './verdictOf';
export type { StoredRuleSet, Decision } from './ledgerObjects';
export { transferReasonSchema, transferVerdictSchema, storedRuleSetSchema, decisionSchema, attestationStatusSchema } from './ledgerObjectSchemas';
