import { LEDGER_EVENT_NAME, parseLedgerEvent, type LedgerChange } from '@kyc-ledger/api';

/** The changes one chaincode event carries, parsed with the shared schema (so a bad event fails). */
export function changesOf(event: { name: string; payload: Uint8Array }): LedgerChange[] {
  if (event.name !== LEDGER_EVENT_NAME) throw new Error(`unexpected chaincode event name ${event.name}`);
  return parseLedgerEvent(event.payload).changes;
}

/** Per event, the types of its changes in order. */
export function changeTypes(events: readonly { name: string; payload: Uint8Array }[]): string[][] {
  return events.map((event) => changesOf(event).map((change) => change.type));
}
