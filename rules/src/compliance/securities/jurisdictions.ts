import { z } from 'zod';
import { atLeastOneOf, countrySchema, evenWithOtherProblems, noOverlap, uniqueList } from '../commonSchemas';
import { securitiesModule } from '../complianceModule';

export const jurisdictionsConfigSchema = z.strictObject({
  /** When present, only these countries may receive the asset. */
  allowed: uniqueList(countrySchema).optional(),
  blocked: uniqueList(countrySchema).optional(),
})
  .superRefine(atLeastOneOf('allowed', 'blocked'), evenWithOtherProblems)
  .superRefine(noOverlap('allowed', 'blocked'), evenWithOtherProblems);

/** The recipient's jurisdiction decides (as in T-REX's country modules): a holder may always sell out. */
export const jurisdictions = securitiesModule('jurisdictions', (config, { input }) => {
  const country = input.to.investor?.jurisdiction;
  if (country === undefined) return [];
  if (config.blocked?.includes(country)) return [{ name: 'JURISDICTION_NOT_ALLOWED', party: 'to', details: { jurisdiction: country, list: 'blocked' } }];
  if (config.allowed && !config.allowed.includes(country)) return [{ name: 'JURISDICTION_NOT_ALLOWED', party: 'to', details: { jurisdiction: country, list: 'allowed' } }];
  return [];
});
