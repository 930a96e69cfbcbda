import { z } from 'zod';
import { atLeastOneOf, evenWithOtherProblems, investorTypeSchema, positiveIntegerStringSchema } from '../commonSchemas';
import { securitiesModule } from '../complianceModule';
import { effectiveInvestorType } from './effectiveInvestorType';

export const maxBalanceConfigSchema = z.strictObject({
  /** Base units; applies to investor types without their own limit. */
  default: positiveIntegerStringSchema.optional(),
  byInvestorType: z.partialRecord(investorTypeSchema, positiveIntegerStringSchema).optional(),
}).superRefine(atLeastOneOf('default', 'byInvestorType'), evenWithOtherProblems);

export const maxBalance = securitiesModule('maxBalance', (config, { input, atMs, amount }) => {
  const { from, to } = input;
  if (amount === undefined || (from !== null && from.address === to.address)) return [];
  const type = to.investor ? effectiveInvestorType(to.investor, atMs) : undefined;
  const limit = (type === undefined ? undefined : config.byInvestorType?.[type]) ?? config.default;
  if (limit === undefined) return [];
  const after = BigInt(to.balance) + amount;
  if (after <= BigInt(limit)) return [];
  return [{ name: 'MAX_BALANCE', party: 'to', details: { maxBalance: limit, balanceAfter: after.toString(), ...(type ? { investorType: type } : {}) } }];
});
