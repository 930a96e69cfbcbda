import { canonicalJson } from '@kyc-ledger/api';
import { ChaincodeError, ErrorCodes } from '@kyc-ledger/api';
import { amlScreening } from './banking/amlScreening';
import { jurisdictionLists } from './banking/jurisdictionLists';
import { pep } from './banking/pep';
import { reKyc } from './banking/reKyc';
import { requiredClaims } from './banking/requiredClaims';
import { riskTier } from './banking/riskTier';
import type { BankingRuleSet } from './bankingRuleSet';
import { evaluationContext, type ComplianceModule, type Reason } from './complianceModule';
import { inputsHash } from './inputsHash';
import { issueProblems } from './issueProblems';
import { RestrictionCodes, type RestrictionCodeName } from './restrictionCodes';
import { ruleSetHash } from './ruleSetHash';
import { holderCaps } from './securities/holderCaps';
import { investorTypes } from './securities/investorTypes';
import { jurisdictions } from './securities/jurisdictions';
import { lockUp } from './securities/lockUp';
import { maxBalance } from './securities/maxBalance';
import { requiredClaimTopics } from './securities/requiredClaimTopics';
import type { SecuritiesRuleSet } from './securitiesRuleSet';
import { amount } from './structural/amount';
import { frozen } from './structural/frozen';
import { investorRecord } from './structural/investorRecord';
import { registration } from './structural/registration';
import { ruleSetPresence } from './structural/ruleSetPresence';
import { toMillis } from './time';
import { transferCheckInputSchema, type TransferCheckInput } from './transferCheckInput';

/**
 * Bumped whenever a module's logic changes what it decides: a recorded decision replays to the
 * same verdict only under the engine version that made it (rules and inputs are pinned by hash).
 */
export const COMPLIANCE_ENGINE_VERSION = 1;

export const structuralModules = { frozen, registration, amount, investorRecord, ruleSetPresence } as const;
export const bankingModules = { requiredClaims, amlScreening, riskTier, reKyc, jurisdictionLists, pep } as const;
export const securitiesModules = { jurisdictions, investorTypes, requiredClaimTopics, holderCaps, maxBalance, lockUp } as const;

const allModules: readonly ComplianceModule[] = [
  ...Object.values(structuralModules),
  ...Object.values(bankingModules),
  ...Object.values(securitiesModules),
];

export interface TransferRules {
  banking?: BankingRuleSet;
  securities?: SecuritiesRuleSet;
}

export interface TransferVerdict {
  /** 0 when allowed, else the lowest failing code. */
  code: number;
  name: RestrictionCodeName;
  /** Every failing reason, sorted by code, then party, module and details. */
  reasons: Reason[];
  ruleSetHashes: { banking?: string; securities?: string };
  inputsHash: string;
  engineVersion: number;
}

const PARTY_ORDER = ['asset', 'from', 'to', 'transfer'] as const;

/** A total order, so the reasons' order never depends on the order modules ran in. */
function compareReasons(a: Reason, b: Reason): number {
  return a.code - b.code
    || PARTY_ORDER.indexOf(a.party) - PARTY_ORDER.indexOf(b.party)
    || compareStrings(a.module, b.module)
    || compareStrings(canonicalJson(a.details ?? null), canonicalJson(b.details ?? null));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rules that do not belong to this transfer are the caller's mistake, not a compliance outcome. */
function assertRulesFit(input: TransferCheckInput, rules: TransferRules): void {
  const problems: string[] = [];
  const atMs = toMillis(input.at);
  for (const ruleSet of [rules.banking, rules.securities]) {
    if (ruleSet && toMillis(ruleSet.effectiveFrom) > atMs) problems.push(`${ruleSet.kind}: effective only from ${ruleSet.effectiveFrom}, after ${input.at}`);
  }
  if (rules.banking && rules.banking.kind !== 'banking') problems.push('banking: not a banking rule set');
  if (rules.securities && rules.securities.kind !== 'securities') problems.push('securities: not a securities rule set');
  if (rules.securities && rules.securities.scope !== input.asset.id) problems.push(`securities: scope ${rules.securities.scope} is not asset ${input.asset.id}`);
  if (problems.length > 0) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'rule sets do not fit the transfer', { problems });
}

/**
 * The ERC-1404 decision for one transfer: a pure function of the input and the rule sets, so
 * every endorsing peer and any later replay reach the same verdict. Every module runs; the
 * verdict lists every failing reason, not just the first.
 */
export function evaluateTransfer(input: TransferCheckInput, rules: TransferRules): TransferVerdict {
  const parsed = transferCheckInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid transfer check input', { problems: issueProblems(parsed.error) });
  }
  assertRulesFit(input, rules);
  const ctx = evaluationContext(input, rules);
  const reasons = allModules.flatMap((m) => m.check(ctx)).sort(compareReasons);
  const first = reasons[0];
  const ruleSetHashes: TransferVerdict['ruleSetHashes'] = {};
  if (rules.banking) ruleSetHashes.banking = ruleSetHash(rules.banking);
  if (rules.securities) ruleSetHashes.securities = ruleSetHash(rules.securities);
  return {
    code: first?.code ?? RestrictionCodes.SUCCESS,
    name: first?.name ?? 'SUCCESS',
    reasons,
    ruleSetHashes,
    inputsHash: inputsHash(input),
    engineVersion: COMPLIANCE_ENGINE_VERSION,
  };
}
