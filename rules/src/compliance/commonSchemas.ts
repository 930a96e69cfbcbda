import { z } from 'zod';
import { ISO_3166_ALPHA2 } from '@kyc-ledger/crypto';
import { ASSURANCE_LEVELS } from '@kyc-ledger/api';

export const INVESTOR_TYPES = ['retail', 'accredited', 'qualified', 'professional', 'institutional'] as const;
export type InvestorType = (typeof INVESTOR_TYPES)[number];

export const ENTITY_TYPES = ['individual', 'corporation', 'trust', 'fund', 'partnership'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const RISK_TIERS = ['low', 'medium', 'high'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export const assuranceLevelSchema = z.enum(ASSURANCE_LEVELS);
export const investorTypeSchema = z.enum(INVESTOR_TYPES);
export const entityTypeSchema = z.enum(ENTITY_TYPES);
export const riskTierSchema = z.enum(RISK_TIERS);

/** The certifiers' own country list, so a rule set and an attestation never disagree on what a country is. */
export const countrySchema = z.string().refine((c) => ISO_3166_ALPHA2.has(c), 'must be an ISO 3166-1 alpha-2 code');

export const utcTimestampSchema = z.iso.datetime({ offset: false });

/** Base-unit amounts are decimal strings because they exceed 2^53; 78 digits hold any uint256. */
export const nonNegativeIntegerStringSchema = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal integer >= 0 without leading zeros');
export const positiveIntegerStringSchema = z.string().regex(/^[1-9][0-9]{0,77}$/, 'must be a decimal integer > 0 without leading zeros');

/** A century bounds day counts so that date arithmetic stays exact in doubles. */
export const daysSchema = z.number().int('must be a whole number of days').min(0, 'must be >= 0').max(36_500, 'must be <= 36500');
export const positiveCapSchema = z.number().int('must be an integer').min(1, 'must be a positive integer');

export const assetIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be an asset id');

/** A list without repeats: a repeated entry is harmless to evaluate but usually a typo for another entry. */
export function uniqueList<T extends z.ZodType>(item: T) {
  return z.array(item).refine((items) => new Set(items).size === items.length, 'must not repeat an entry');
}

/**
 * Cross-field checks run even when some fields are malformed (zod skips them by default), so a
 * rejected rule set lists every problem in one answer; the checks therefore read defensively.
 */
export const evenWithOtherProblems = { when: () => true };

/** The string entries of `value[key]` when it is an array; nothing otherwise. */
export function stringsAt(value: unknown, key: string): string[] {
  const list: unknown = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

/** A superRefine that flags every entry listed in both `first` and `second` (at `second`). */
export function noOverlap(first: string, second: string) {
  return (value: unknown, ctx: z.RefinementCtx): void => {
    const inFirst = new Set(stringsAt(value, first));
    const both = [...new Set(stringsAt(value, second).filter((x) => inFirst.has(x)))];
    if (both.length > 0) ctx.addIssue({ code: 'custom', path: [second], message: `${both.join(', ')} must not be in both ${first} and ${second}` });
  };
}

/** A superRefine that requires at least one of `keys`: an empty module config would silently do nothing. */
export function atLeastOneOf(...keys: string[]) {
  return (value: unknown, ctx: z.RefinementCtx): void => {
    const present = value && typeof value === 'object' && keys.some((k) => (value as Record<string, unknown>)[k] !== undefined);
    if (!present) ctx.addIssue({ code: 'custom', message: `must set at least one of ${keys.join(', ')}` });
  };
}
