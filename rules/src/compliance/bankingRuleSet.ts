import { z } from 'zod';
import { amlScreeningConfigSchema } from './banking/amlScreening';
import { jurisdictionListsConfigSchema } from './banking/jurisdictionLists';
import { pepConfigSchema } from './banking/pep';
import { reKycConfigSchema } from './banking/reKyc';
import { requiredClaimsConfigSchema } from './banking/requiredClaims';
import { riskTierConfigSchema } from './banking/riskTier';
import { utcTimestampSchema } from './commonSchemas';

/** Each key switches one module on; a module whose key is absent does not run. */
export const bankingRulesSchema = z.strictObject({
  requiredClaims: requiredClaimsConfigSchema.optional(),
  amlScreening: amlScreeningConfigSchema.optional(),
  riskTier: riskTierConfigSchema.optional(),
  reKyc: reKycConfigSchema.optional(),
  jurisdictionLists: jurisdictionListsConfigSchema.optional(),
  pep: pepConfigSchema.optional(),
});

/** The consortium's KYC/AML rules; there is one scope because every member applies the same rules. */
export const bankingRuleSetSchema = z.strictObject({
  kind: z.literal('banking'),
  scope: z.literal('consortium'),
  effectiveFrom: utcTimestampSchema,
  description: z.string().max(500).optional(),
  rules: bankingRulesSchema,
});

export type BankingRules = z.output<typeof bankingRulesSchema>;
export type BankingRuleSet = z.output<typeof bankingRuleSetSchema>;
