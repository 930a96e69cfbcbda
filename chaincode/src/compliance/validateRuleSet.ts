import { z } from 'zod';
import { bankingRuleSetSchema, type BankingRuleSet } from './bankingRuleSet';
import { securitiesRuleSetSchema, type SecuritiesRuleSet } from './securitiesRuleSet';

export const ruleSetSchema = z.discriminatedUnion('kind', [bankingRuleSetSchema, securitiesRuleSetSchema]);

export type RuleSet = BankingRuleSet | SecuritiesRuleSet;

export type RuleSetValidation = { ok: true; ruleSet: RuleSet } | { ok: false; problems: string[] };

function problem(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.') || '(root)';
  // zod's own message for a bad record key is generic; the key schema's message says what is wrong.
  const message = issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join('; ') : issue.message;
  return `${path}: ${message}`;
}

/**
 * Structure and meaning in one pass. Every problem is listed, each as "path: message", so a
 * publisher fixes a rejected rule set in one round rather than one problem at a time.
 */
export function validateRuleSet(input: unknown): RuleSetValidation {
  const parsed = ruleSetSchema.safeParse(input);
  if (parsed.success) return { ok: true, ruleSet: parsed.data };
  return { ok: false, problems: [...new Set(parsed.error.issues.map(problem))] };
}
