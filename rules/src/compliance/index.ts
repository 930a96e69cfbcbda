/**
 * The compliance engine for transfer checks (issue 4): pure and deterministic, no Fabric calls.
 * Contracts gather the facts from the ledger and call {@link evaluateTransfer}; rule sets are
 * data, validated by {@link validateRuleSet} and identified by {@link ruleSetHash}.
 * Format and semantics: docs/compliance-rules.md.
 */
export type { AssuranceLevel } from '@kyc-ledger/api';
export { ENTITY_TYPES, INVESTOR_TYPES, RISK_TIERS, type EntityType, type InvestorType, type RiskTier } from './commonSchemas';
export {
  transferCheckInputSchema, partyFactsSchema, investorFactsSchema, attestationFactsSchema,
  type TransferCheckInput, type PartyFacts, type InvestorFacts, type AttestationFacts,
} from './transferCheckInput';
export type { Reason, ReasonParty, ComplianceModule, EvaluationContext } from './complianceModule';
export { evaluationContext } from './complianceModule';
export {
  evaluateTransfer, COMPLIANCE_ENGINE_VERSION, structuralModules, bankingModules, securitiesModules,
  type TransferVerdict, type TransferRules,
} from './evaluateTransfer';
export { inputsHash } from './inputsHash';
export { bankingRuleSetSchema, type BankingRuleSet, type BankingRules } from './bankingRuleSet';
export { securitiesRuleSetSchema, type SecuritiesRuleSet, type SecuritiesRules } from './securitiesRuleSet';
export { validateRuleSet, ruleSetSchema, type RuleSet, type RuleSetValidation } from './validateRuleSet';
export { ruleSetHash } from './ruleSetHash';
export { ruleSetInForce } from './ruleSetInForce';
export { RestrictionCodes, restrictionCodeName, type RestrictionCodeName } from './restrictionCodes';
export { messageForTransferRestriction, supportedLocales } from './messageForTransferRestriction';
