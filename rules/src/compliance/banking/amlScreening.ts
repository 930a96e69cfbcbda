import { z } from 'zod';
import { daysSchema, riskTierSchema } from '../commonSchemas';
import { bankingModule } from '../complianceModule';
import { overdueForTier } from './overdueSince';

export const amlScreeningConfigSchema = z.strictObject({
  maxAgeDays: daysSchema,
  /** Higher risk usually needs more frequent screening; a tier not listed uses maxAgeDays. */
  maxAgeDaysByRiskTier: z.partialRecord(riskTierSchema, daysSchema).optional(),
});

export const amlScreening = bankingModule('amlScreening', (config, { investor }, ctx) => {
  const period = { days: config.maxAgeDays, byRiskTier: config.maxAgeDaysByRiskTier };
  const stale = overdueForTier(investor.amlScreenedAt, period, investor.riskTier, ctx.atMs);
  return stale === undefined ? [] : [{
    name: 'AML_SCREENING_STALE',
    details: { amlScreenedAt: investor.amlScreenedAt, riskTier: investor.riskTier, maxAgeDays: stale.days, staleSince: stale.since },
  }];
});
