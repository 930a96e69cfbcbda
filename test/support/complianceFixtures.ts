import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  evaluationContext, type AttestationFacts, type BankingRules, type BankingRuleSet, type ComplianceModule, type InvestorFacts,
  type PartyFacts, type Reason, type SecuritiesRules, type SecuritiesRuleSet, type TransferCheckInput,
} from '@kyc-ledger/chaincode/dist/compliance';

/** Transaction time used by the compliance tests unless a test moves it. */
export const AT = '2026-03-01T00:00:00Z';
export const ASSET = 'ACME-REG-D-1';
export const ALICE = 'eip155:1:0x00000000000000000000000000000000000a11ce';
export const BOB = 'eip155:1:0x0000000000000000000000000000000000000b0b';

export function investor(overrides: Partial<InvestorFacts> = {}): InvestorFacts {
  return {
    jurisdiction: 'CH',
    investorType: 'retail',
    entityType: 'individual',
    riskTier: 'low',
    pep: false,
    amlScreenedAt: '2026-02-01T00:00:00Z',
    kycVerifiedAt: '2025-06-01T00:00:00Z',
    ...overrides,
  };
}

export function attestation(overrides: Partial<AttestationFacts> = {}): AttestationFacts {
  return { id: 'att-1', claimTopics: ['address', 'identity'], assuranceLevel: 'substantial', valid: true, failing: [], ...overrides };
}

/** A registered, unfrozen party with an investor record and a valid attestation. */
export function party(address: string, overrides: Partial<PartyFacts> = {}): PartyFacts {
  return { address, registered: true, frozen: false, balance: '0', investor: investor(), attestation: attestation(), ...overrides };
}

/** Alice (CH, holding 1000 since 2025-01-01) sends 100 to Bob (CH, new holder). */
export function transfer(overrides: Partial<TransferCheckInput> = {}): TransferCheckInput {
  return {
    at: AT,
    asset: { id: ASSET, frozen: false },
    amount: '100',
    from: party(ALICE, { balance: '1000', acquiredAt: '2025-01-01T00:00:00Z' }),
    to: party(BOB),
    holders: { total: 1, byCountry: { CH: 1 } },
    ...overrides,
  };
}

export function bankingRuleSet(rules: BankingRules, effectiveFrom = '2026-01-01T00:00:00Z'): BankingRuleSet {
  return { kind: 'banking', scope: 'consortium', effectiveFrom, rules };
}

export function securitiesRuleSet(rules: SecuritiesRules, effectiveFrom = '2026-01-01T00:00:00Z'): SecuritiesRuleSet {
  return { kind: 'securities', scope: ASSET, effectiveFrom, rules };
}

/** Runs one module alone, as evaluateTransfer would. */
export function runModule(module: ComplianceModule, input: TransferCheckInput, rules: { banking?: BankingRules; securities?: SecuritiesRules }): Reason[] {
  return module.check(evaluationContext(input, {
    ...(rules.banking ? { banking: bankingRuleSet(rules.banking) } : {}),
    ...(rules.securities ? { securities: securitiesRuleSet(rules.securities) } : {}),
  }));
}

/** "NAME@party" per reason: compact to compare, and says who failed what. */
export function found(reasons: Reason[]): string[] {
  return reasons.map((r) => `${r.name}@${r.party}`);
}

/** A rule set from chaincode/compliance-examples, validated (the examples test shows they all are). */
export function exampleRuleSet<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as T;
}

export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', '..', 'chaincode', 'compliance-examples');
