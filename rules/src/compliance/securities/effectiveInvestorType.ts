import type { InvestorType } from '../commonSchemas';
import { toMillis } from '../time';
import type { InvestorFacts } from '../transferCheckInput';

/** Statuses that rest on a verification with a shelf life (e.g. Reg D accreditation letters). */
const EXPIRING_TYPES: ReadonlySet<InvestorType> = new Set(['accredited', 'qualified']);

/**
 * True when the investor's accredited/qualified status no longer holds at `atMs`. A missing
 * expiry counts as lapsed: the status was never shown to be current, and failing closed is the
 * safe reading for an eligibility rule.
 */
export function accreditationLapsed(investor: InvestorFacts, atMs: number): boolean {
  if (!EXPIRING_TYPES.has(investor.investorType)) return false;
  return investor.accreditationExpiresAt === undefined || atMs >= toMillis(investor.accreditationExpiresAt);
}

/** The type the securities rules apply: a lapsed accredited or qualified investor is retail again. */
export function effectiveInvestorType(investor: InvestorFacts, atMs: number): InvestorType {
  return accreditationLapsed(investor, atMs) ? 'retail' : investor.investorType;
}
