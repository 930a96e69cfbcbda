import { z } from 'zod';
import { daysSchema, riskTierSchema } from '../commonSchemas';
import { bankingModule } from '../complianceModule';
import { overdueForTier } from './overdueSince';

export const reKycConfigSchema = z.strictObject({
  periodDays: daysSchema,
  /** A tier not listed uses periodDays. */
  periodDaysByRiskTier: z.partialRecord(riskTierSchema, daysSchema).optional(),
});

export const reKyc = bankingModule('reKyc', (config, { investor }, ctx) => {
  const period = { days: config.periodDays, byRiskTier: config.periodDaysByRiskTier };
  const overdue = overdueForTier(investor.kycVerifiedAt, period, investor.riskTier, ctx.atMs);
  return overdue === undefined ? [] : [{
    name: 'REKYC_OVERDUE',
    details: { kycVerifiedAt: investor.kycVerifiedAt, riskTier: investor.riskTier, periodDays: overdue.days, dueAt: overdue.since },
  }];
});
