/** The sync driver's progress on one link, as it reports it. */
export interface LinkSyncProgress {
  /** The last sequence number applied on the linked chain with its confirmations (0: none). */
  appliedSeq: number;
  /** The driver's last error on this link, undefined when none since its last success. */
  lastError?: string;
  /** When the driver last changed this progress (ISO 8601), undefined when it never did. */
  updatedAt?: string;
}

/**
 * Where the gRPC service reads a link's sync progress: the sync driver implements it. The service
 * adds the ledger head and the lag from its own registry store.
 */
export interface SyncStatusSource {
  /** The progress of link `linkId`, or undefined when the driver has not started on it yet. */
  progress(linkId: string): Promise<LinkSyncProgress | undefined>;
  /** The EVM account the driver signs link `linkId`'s transactions with ('' or absent when no sync is configured). */
  syncAccount?(linkId: string): string;
}
