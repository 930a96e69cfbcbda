import type { Context } from 'fabric-contract-api';
import { ChangeTypes, LEDGER_EVENT_NAME, type ChangeFields, type ChangeType, type LedgerChange } from '@kyc-ledger/api';
import { canonicalJson } from './canonicalJson';

/** The kinds of change a transaction reports (the shared contract's list, `@kyc-ledger/api`). */
export const Events = ChangeTypes;

/** The changes of each transaction so far; fabric-shim builds a fresh Context for every transaction. */
const changesOf = new WeakMap<Context, LedgerChange[]>();

/**
 * Records one change of the current transaction. This is the only place the chaincode calls
 * `setEvent`: a Fabric peer keeps only the last event a transaction sets, so each call sets the
 * transaction's one {@link LEDGER_EVENT_NAME} event again, now listing every change so far. Whatever
 * path a transaction takes, the event that reaches clients carries all of its changes.
 */
export function recordChange(ctx: Context, change: LedgerChange): void {
  let changes = changesOf.get(ctx);
  if (!changes) changesOf.set(ctx, (changes = []));
  changes.push(change);
  ctx.stub.setEvent(LEDGER_EVENT_NAME, Buffer.from(canonicalJson({ changes })));
}

/** Records a change of type `type` with its fields (see {@link recordChange}). */
export function emit<K extends ChangeType>(ctx: Context, type: K, fields: ChangeFields<K>): void {
  // The generic K cannot be narrowed; the signature already ties `fields` to `type`.
  recordChange(ctx, { type, ...fields } as unknown as LedgerChange);
}
