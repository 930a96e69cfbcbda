import { structuralModule } from '../complianceModule';

/**
 * The amount is a positive integer in base units written without leading zeros (one spelling per
 * number keeps inputs hashes unambiguous), and a sender cannot send more than it holds. Issuance
 * has no balance to check.
 */
export const amount = structuralModule('amount', ({ input, amount: value }) => {
  if (value === undefined) return [{ name: 'INVALID_AMOUNT', party: 'transfer', details: { amount: input.amount } }];
  if (input.from && value > BigInt(input.from.balance)) {
    return [{ name: 'INSUFFICIENT_BALANCE', party: 'from', details: { balance: input.from.balance, amount: input.amount } }];
  }
  return [];
});
