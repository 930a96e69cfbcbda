import { z } from 'zod';
import { positiveIntegerStringSchema, riskTierSchema, uniqueList } from '../commonSchemas';
import { bankingModule, type SubjectFinding } from '../complianceModule';

export const riskTierConfigSchema = z.strictObject({
  allowed: uniqueList(riskTierSchema).min(1, 'must allow at least one risk tier'),
  /** Largest single transfer, in base units, a party of the tier may send or receive. */
  maxTransferAmount: z.partialRecord(riskTierSchema, positiveIntegerStringSchema).optional(),
});

export const riskTier = bankingModule('riskTier', (config, { investor }, ctx) => {
  const tier = investor.riskTier;
  const findings: SubjectFinding[] = [];
  if (!config.allowed.includes(tier)) findings.push({ name: 'RISK_TIER_NOT_ALLOWED', details: { riskTier: tier, allowed: config.allowed } });
  const limit = config.maxTransferAmount?.[tier];
  if (limit !== undefined && ctx.amount !== undefined && ctx.amount > BigInt(limit)) {
    findings.push({ name: 'RISK_TIER_AMOUNT_LIMIT', details: { riskTier: tier, maxTransferAmount: limit, amount: ctx.input.amount } });
  }
  return findings;
});
