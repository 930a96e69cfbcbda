import { z } from 'zod';
import { ISO_3166_ALPHA2 } from '@kyc-ledger/crypto';
import { evenWithOtherProblems } from '../commonSchemas';

export const DEFAULT_JURISDICTION = '*';

const jurisdictionKeySchema = z.string().refine(
  (k) => k === DEFAULT_JURISDICTION || ISO_3166_ALPHA2.has(k),
  'must be "*" or an ISO 3166-1 alpha-2 code',
);

/**
 * Per-jurisdiction settings keyed by country, with "*" for every country not listed. A country's
 * own entry replaces "*" rather than adding to it, so an issuer reads one entry to know the rule.
 */
export function byJurisdiction<T extends z.ZodType>(entry: T, options: { requireDefault: boolean }) {
  return z.record(jurisdictionKeySchema, entry).superRefine((value, ctx) => {
    if (options.requireDefault && (typeof value !== 'object' || value === null || !(DEFAULT_JURISDICTION in value))) {
      ctx.addIssue({ code: 'custom', message: 'must have a default "*" entry' });
    }
  }, evenWithOtherProblems);
}

export function entryFor<T>(entries: Record<string, T>, country: string): T | undefined {
  return entries[country] ?? entries[DEFAULT_JURISDICTION];
}
