import { z } from 'zod';
import { countrySchema, daysSchema, evenWithOtherProblems, investorTypeSchema, uniqueList, utcTimestampSchema } from '../commonSchemas';
import { securitiesModule } from '../complianceModule';
import { plusDays, toIso, toMillis } from '../time';
import type { PartyFacts } from '../transferCheckInput';
import { effectiveInvestorType } from './effectiveInvestorType';

const periodSchema = z.strictObject({
  /** Absent: every jurisdiction. Matched against the sender's investor jurisdiction. */
  jurisdictions: uniqueList(countrySchema).min(1).optional(),
  /** Absent: every investor type. Matched against the sender's effective investor type. */
  investorTypes: uniqueList(investorTypeSchema).min(1).optional(),
  /** Days from the sender's acquiredAt. */
  days: daysSchema.optional(),
  /** A fixed end, e.g. the end of an offering's distribution compliance period. */
  until: utcTimestampSchema.optional(),
}).superRefine((p, ctx) => {
  if ((p.days === undefined) === (p.until === undefined)) ctx.addIssue({ code: 'custom', message: 'must set exactly one of days, until' });
}, evenWithOtherProblems);

export const lockUpConfigSchema = z.strictObject({
  periods: z.array(periodSchema).min(1, 'must list at least one period'),
});

type Period = z.output<typeof periodSchema>;

/** When the period ends for this sender; Infinity when it counts from an acquisition time we do not know. */
function periodEnd(period: Period, sender: PartyFacts): number {
  if (period.until !== undefined) return toMillis(period.until);
  return sender.acquiredAt === undefined ? Infinity : plusDays(sender.acquiredAt, period.days ?? 0);
}

/**
 * Every period that matches the sender applies and the latest end wins, so adding a stricter
 * class of investor never shortens anyone's lock-up. Without an investor record every period
 * matches: a filter cannot prove it does not apply.
 */
export const lockUp = securitiesModule('lockUp', (config, { input, atMs }) => {
  const sender = input.from;
  if (sender === null) return [];
  const investor = sender.investor;
  const type = investor ? effectiveInvestorType(investor, atMs) : undefined;
  const applicable = config.periods.filter((p) =>
    (!p.jurisdictions || investor === undefined || p.jurisdictions.includes(investor.jurisdiction)) &&
    (!p.investorTypes || type === undefined || p.investorTypes.includes(type)));
  const end = Math.max(-Infinity, ...applicable.map((p) => periodEnd(p, sender)));
  if (atMs >= end) return [];
  const details = Number.isFinite(end)
    ? { lockedUntil: toIso(end) }
    : { lockedUntil: null, problem: 'ACQUIRED_AT_UNKNOWN' };
  return [{ name: 'LOCKED_UP', party: 'from', details }];
});
