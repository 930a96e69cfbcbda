// Attestation status evaluation is pure logic the gateway runs too (@kyc-ledger/rules).
export { evaluateStatus, scopeProblems, accreditationProblem, type AttestationStatus, type StatusCode } from '@kyc-ledger/rules';
