import { z } from 'zod';
import { atLeastOneOf, countrySchema, evenWithOtherProblems, positiveCapSchema } from '../commonSchemas';
import { securitiesModule, type EvaluationContext, type Finding } from '../complianceModule';

export const holderCapsConfigSchema = z.strictObject({
  total: positiveCapSchema.optional(),
  /** Keyed by the holder's investor jurisdiction; a country not listed has no cap of its own. */
  byCountry: z.record(countrySchema, positiveCapSchema).optional(),
}).superRefine(atLeastOneOf('total', 'byCountry'), evenWithOtherProblems);

function selfTransfer({ input }: EvaluationContext): boolean {
  return input.from !== null && input.from.address === input.to.address;
}

/**
 * A cap only ever stops a transfer that adds a holder: a recipient who already holds does not
 * count again, and a cap lowered below the current count does not trap existing holders.
 */
export const holderCaps = securitiesModule('holderCaps', (config, ctx) => {
  const { input, amount } = ctx;
  if (selfTransfer(ctx) || input.to.balance !== '0') return [];
  const { from } = input;
  // A sender moving its whole balance leaves the register in the same transaction, freeing its slot.
  const senderLeaves = from !== null && amount !== undefined && amount === BigInt(from.balance);
  const findings: Finding[] = [];
  if (config.total !== undefined) {
    const after = input.holders.total + 1 - (senderLeaves ? 1 : 0);
    if (after > config.total) findings.push({ name: 'TOTAL_HOLDER_CAP', party: 'to', details: { cap: config.total, holders: input.holders.total } });
  }
  const country = input.to.investor?.jurisdiction;
  const cap = country === undefined ? undefined : config.byCountry?.[country];
  if (country !== undefined && cap !== undefined) {
    const current = input.holders.byCountry[country] ?? 0;
    const freed = senderLeaves && from?.investor?.jurisdiction === country ? 1 : 0;
    if (current + 1 - freed > cap) findings.push({ name: 'COUNTRY_HOLDER_CAP', party: 'to', details: { country, cap, holders: current } });
  }
  return findings;
});
