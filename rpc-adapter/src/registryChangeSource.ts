import type { RegistryChangesPage } from '@kyc-ledger/api';

/**
 * Where the sync driver and the gRPC service read an asset's sequenced registry changes: the
 * adapter's local store, filled from committed blocks by the ledger follower.
 */
export interface RegistryChangeSource {
  /** Changes of `asset` from `fromSeq` on (at most `limit`, in order) and the asset's head. */
  changes(asset: string, fromSeq: number, limit: number): Promise<RegistryChangesPage>;
  /** Calls `listener` whenever new changes of an asset are stored; returns a function that unsubscribes. */
  onChange(listener: (asset: string, head: number) => void): () => void;
}
