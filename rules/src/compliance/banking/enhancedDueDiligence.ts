import { z } from 'zod';
import { daysSchema } from '../commonSchemas';
import type { InvestorFacts } from '../transferCheckInput';
import { overdueSince } from './overdueSince';

/**
 * How a heightened-risk case (a high-risk country, a PEP) is handled: refused outright, or
 * accepted only under enhanced due diligence — the bank has put the person in risk tier `high`
 * and, if the rule set says so, screened them more recently than the ordinary AML period.
 */
export const eddPolicySchema = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('block') }),
  z.strictObject({ policy: z.literal('enhancedDueDiligence'), maxAmlAgeDays: daysSchema.optional() }),
]);

export type EddPolicy = z.output<typeof eddPolicySchema>;

export type EddShortfall = 'POLICY_BLOCKS' | 'RISK_TIER_NOT_HIGH' | 'AML_SCREENING_TOO_OLD';

/** What keeps the investor from passing the policy; empty when they pass. */
export function eddShortfalls(policy: EddPolicy, investor: InvestorFacts, atMs: number): EddShortfall[] {
  if (policy.policy === 'block') return ['POLICY_BLOCKS'];
  const out: EddShortfall[] = [];
  if (investor.riskTier !== 'high') out.push('RISK_TIER_NOT_HIGH');
  if (policy.maxAmlAgeDays !== undefined && overdueSince(investor.amlScreenedAt, policy.maxAmlAgeDays, atMs) !== undefined) {
    out.push('AML_SCREENING_TOO_OLD');
  }
  return out;
}
