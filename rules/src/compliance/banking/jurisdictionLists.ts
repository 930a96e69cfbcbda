import { z } from 'zod';
import { countrySchema, evenWithOtherProblems, noOverlap, uniqueList } from '../commonSchemas';
import { bankingModule } from '../complianceModule';
import { eddPolicySchema, eddShortfalls } from './enhancedDueDiligence';

/** FATF-style lists as data: "call for action" countries go in sanctioned, "increased monitoring" in highRisk. */
export const jurisdictionListsConfigSchema = z.strictObject({
  sanctioned: uniqueList(countrySchema),
  highRisk: uniqueList(countrySchema),
  highRiskPolicy: eddPolicySchema,
}).superRefine(noOverlap('sanctioned', 'highRisk'), evenWithOtherProblems);

export const jurisdictionLists = bankingModule('jurisdictionLists', (config, { investor }, ctx) => {
  const country = investor.jurisdiction;
  if (config.sanctioned.includes(country)) return [{ name: 'JURISDICTION_SANCTIONED', details: { jurisdiction: country } }];
  if (!config.highRisk.includes(country)) return [];
  const unmet = eddShortfalls(config.highRiskPolicy, investor, ctx.atMs);
  return unmet.length === 0 ? [] : [{ name: 'JURISDICTION_HIGH_RISK', details: { jurisdiction: country, policy: config.highRiskPolicy.policy, unmet } }];
});
