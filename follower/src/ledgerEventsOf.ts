import { common, peer } from '@hyperledger/fabric-protos';
import { LEDGER_EVENT_NAME, ledgerChangeSchema, type LedgerChange } from '@kyc-ledger/api';

/** The one `LedgerChanged` event of a valid transaction of our chaincode. */
export interface TxLedgerEvent {
  txId: string;
  /** The transaction's timestamp (its channel header), ISO 8601. */
  timestamp: string;
  /** The changes this code knows, in the order the transaction made them. */
  changes: LedgerChange[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The channel header's timestamp as ISO 8601 with milliseconds (what the chaincode sees as its time). */
function isoTimestamp(header: common.ChannelHeader): string {
  const ts = header.getTimestamp();
  if (!ts) return new Date(0).toISOString();
  return new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1_000_000)).toISOString();
}

/**
 * Adds the chaincode event of one action, when it is our chaincode's `LedgerChanged`, to `into`.
 * Each change is checked on its own: an unknown type (a newer chaincode) or a malformed one is
 * counted in `unknownChanges` and left out, so the follower keeps going with the changes it knows;
 * a payload that is not a ledger event at all counts as one unknown change.
 */
export function ledgerEventsOf(eventBytes: Uint8Array, namespace: string, header: common.ChannelHeader, into: { events: TxLedgerEvent[]; unknownChanges?: number }): void {
  if (eventBytes.length === 0) return;
  const event = peer.ChaincodeEvent.deserializeBinary(eventBytes);
  if (event.getChaincodeId() !== namespace || event.getEventName() !== LEDGER_EVENT_NAME) return;
  const unknown = (n: number) => {
    into.unknownChanges = (into.unknownChanges ?? 0) + n;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(event.getPayload_asU8()));
  } catch {
    unknown(1);
    return;
  }
  const list = (raw as { changes?: unknown } | null)?.changes;
  if (!Array.isArray(list)) {
    unknown(1);
    return;
  }
  const changes: LedgerChange[] = [];
  for (const item of list) {
    const parsed = ledgerChangeSchema.safeParse(item);
    if (parsed.success) changes.push(parsed.data);
    else unknown(1);
  }
  into.events.push({ txId: event.getTxId() || header.getTxId(), timestamp: isoTimestamp(header), changes });
}
