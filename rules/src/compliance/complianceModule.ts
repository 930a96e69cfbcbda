import type { BankingRules, BankingRuleSet } from './bankingRuleSet';
import type { RestrictionCodeName } from './restrictionCodes';
import { RestrictionCodes } from './restrictionCodes';
import type { SecuritiesRules, SecuritiesRuleSet } from './securitiesRuleSet';
import { toMillis } from './time';
import type { InvestorFacts, PartyFacts, TransferCheckInput } from './transferCheckInput';

export type ReasonParty = 'from' | 'to' | 'asset' | 'transfer';

export interface Reason {
  code: number;
  name: RestrictionCodeName;
  party: ReasonParty;
  /** The module that found it, so an issuer can see which rule to change. */
  module: string;
  details?: Record<string, unknown>;
}

export interface Finding {
  name: RestrictionCodeName;
  party: ReasonParty;
  details?: Record<string, unknown>;
}

/** What a banking module reports; the party is the subject it was checking. */
export type SubjectFinding = Omit<Finding, 'party'>;

export interface EvaluationContext {
  input: TransferCheckInput;
  atMs: number;
  /** undefined when the amount is not a positive integer (INVALID_AMOUNT); amount rules then stay silent. */
  amount: bigint | undefined;
  banking?: BankingRuleSet;
  securities?: SecuritiesRuleSet;
}

export interface ComplianceModule {
  name: string;
  family: 'structural' | 'banking' | 'securities';
  check(ctx: EvaluationContext): Reason[];
}

/** A party whose person-level rules are checked: the recipient always, the sender unless issuance. */
export interface Subject {
  role: 'from' | 'to';
  party: PartyFacts;
  investor: InvestorFacts;
}

const AMOUNT = /^[1-9][0-9]{0,77}$/;

export function evaluationContext(input: TransferCheckInput, rules: { banking?: BankingRuleSet; securities?: SecuritiesRuleSet }): EvaluationContext {
  return {
    input,
    atMs: toMillis(input.at),
    amount: AMOUNT.test(input.amount) ? BigInt(input.amount) : undefined,
    ...(rules.banking ? { banking: rules.banking } : {}),
    ...(rules.securities ? { securities: rules.securities } : {}),
  };
}

/**
 * Parties without an investor record are left out: INVESTOR_RECORD_MISSING already names them,
 * and guessing their facts would produce reasons that say nothing true.
 */
export function subjects(ctx: EvaluationContext): Subject[] {
  const out: Subject[] = [];
  const { from, to } = ctx.input;
  if (from?.investor) out.push({ role: 'from', party: from, investor: from.investor });
  if (to.investor) out.push({ role: 'to', party: to, investor: to.investor });
  return out;
}

function toReason(module: string, f: Finding): Reason {
  const reason: Reason = { code: RestrictionCodes[f.name], name: f.name, party: f.party, module };
  if (f.details !== undefined) reason.details = f.details;
  return reason;
}

export function structuralModule(name: string, check: (ctx: EvaluationContext) => Finding[]): ComplianceModule {
  return { name, family: 'structural', check: (ctx) => check(ctx).map((f) => toReason(name, f)) };
}

/** A banking module is off when its key is absent from the consortium rule set, and runs once per subject. */
export function bankingModule<K extends keyof BankingRules>(
  name: K,
  check: (config: NonNullable<BankingRules[K]>, subject: Subject, ctx: EvaluationContext) => SubjectFinding[],
): ComplianceModule {
  return {
    name,
    family: 'banking',
    check(ctx) {
      const config = ctx.banking?.rules[name];
      if (config === undefined) return [];
      return subjects(ctx).flatMap((s) => check(config, s, ctx).map((f) => toReason(name, { ...f, party: s.role })));
    },
  };
}

/** A securities module is off when its key is absent from the asset's rule set. */
export function securitiesModule<K extends keyof SecuritiesRules>(
  name: K,
  check: (config: NonNullable<SecuritiesRules[K]>, ctx: EvaluationContext) => Finding[],
): ComplianceModule {
  return {
    name,
    family: 'securities',
    check(ctx) {
      const config = ctx.securities?.rules[name];
      if (config === undefined) return [];
      return check(config, ctx).map((f) => toReason(name, f));
    },
  };
}
