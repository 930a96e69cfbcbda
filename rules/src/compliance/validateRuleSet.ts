import { z } from 'zod';
import { issueProblems } from './issueProblems';
import { bankingRuleSetSchema, type BankingRuleSet } from './bankingRuleSet';
import { securitiesRuleSetSchema, type SecuritiesRuleSet } from './securitiesRuleSet';

export const ruleSetSchema = z.discriminatedUnion('kind', [bankingRuleSetSchema, securitiesRuleSetSchema]);

export type RuleSet = BankingRuleSet | SecuritiesRuleSet;

export type RuleSetValidation = { ok: true; ruleSet: RuleSet } | { ok: false; problems: string[] };

/**
 * Structure and meaning in one pass. Every problem is listed, each as "path: message", so a
 * publisher fixes a rejected rule set in one round rather than one problem at a time.
 */
export function validateRuleSet(input: unknown): RuleSetValidation {
  const parsed = ruleSetSchema.safeParse(input);
  if (parsed.success) return { ok: true, ruleSet: parsed.data };
  return { ok: false, problems: issueProblems(parsed.error) };
}
