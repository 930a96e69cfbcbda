import { z } from 'zod';
import { assetIdSchema, utcTimestampSchema } from './commonSchemas';
import { holderCapsConfigSchema } from './securities/holderCaps';
import { investorTypesConfigSchema } from './securities/investorTypes';
import { jurisdictionsConfigSchema } from './securities/jurisdictions';
import { lockUpConfigSchema } from './securities/lockUp';
import { maxBalanceConfigSchema } from './securities/maxBalance';
import { requiredClaimTopicsConfigSchema } from './securities/requiredClaimTopics';

/** Each key switches one module on; a module whose key is absent does not run. */
export const securitiesRulesSchema = z.strictObject({
  jurisdictions: jurisdictionsConfigSchema.optional(),
  investorTypes: investorTypesConfigSchema.optional(),
  requiredClaimTopics: requiredClaimTopicsConfigSchema.optional(),
  holderCaps: holderCapsConfigSchema.optional(),
  maxBalance: maxBalanceConfigSchema.optional(),
  lockUp: lockUpConfigSchema.optional(),
});

/** An issuer's rules for one asset; the scope is the asset id. */
export const securitiesRuleSetSchema = z.strictObject({
  kind: z.literal('securities'),
  scope: assetIdSchema,
  effectiveFrom: utcTimestampSchema,
  description: z.string().max(500).optional(),
  rules: securitiesRulesSchema,
});

export type SecuritiesRules = z.output<typeof securitiesRulesSchema>;
export type SecuritiesRuleSet = z.output<typeof securitiesRuleSetSchema>;
