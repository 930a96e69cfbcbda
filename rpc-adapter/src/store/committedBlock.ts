import type { LedgerChange } from '@kyc-ledger/api';

/*
 * Structural copies of the follower's block types (arch10): the follower package does not export
 * them yet. Swap these for `import type { CommittedBlock, TxLedgerEvent } from '@kyc-ledger/follower'`
 * once it does; the shapes are the same, so nothing else changes.
 */

/** The one `LedgerChanged` event of a valid transaction of our chaincode. */
export interface TxLedgerEvent {
  txId: string;
  /** The transaction's timestamp, ISO 8601. */
  timestamp: string;
  changes: LedgerChange[];
}

/** A committed block as the follower hands it to its sinks (only what this store reads is typed strictly). */
export interface CommittedBlock {
  number: bigint;
  writes: unknown[];
  privateWrites?: unknown[];
  validTransactions: number;
  invalidTransactions: number;
  /** Valid transactions of our chaincode, in block order. */
  events: TxLedgerEvent[];
}
