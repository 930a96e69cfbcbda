import type { RiskTier } from '../commonSchemas';
import { plusDays, toIso } from '../time';

/**
 * When a fact recorded at `startIso` stops counting after `days` days: the ISO instant it went
 * stale, or undefined while it still holds. The boundary instant itself still counts.
 */
export function overdueSince(startIso: string, days: number, atMs: number): string | undefined {
  const due = plusDays(startIso, days);
  return atMs > due ? toIso(due) : undefined;
}

/**
 * The same deadline with a period that may depend on the risk tier (AML screening, re-KYC):
 * the tier's own period, else the default; undefined while the fact still counts.
 */
export function overdueForTier(
  startIso: string,
  period: { days: number; byRiskTier?: Partial<Record<RiskTier, number>> | undefined },
  tier: RiskTier,
  atMs: number,
): { days: number; since: string } | undefined {
  const days = period.byRiskTier?.[tier] ?? period.days;
  const since = overdueSince(startIso, days, atMs);
  return since === undefined ? undefined : { days, since };
}
