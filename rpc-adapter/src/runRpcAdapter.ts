import { readFileSync } from 'node:fs';
import { createLedgerFollower, fabricBlockSource, type CommittedBlock, type FollowerDb, type LedgerFollower } from '@kyc-ledger/follower';
import { connectLedger, type LedgerConnection } from './ledger/ledgerConnection';
import type { RpcAdapterConfig } from './rpcAdapterConfig';
import { startRpcAdapter, type RunningRpcAdapter } from './startRpcAdapter';
import type { LevelBatch } from './store/levelTypes';
import { AutoLinker } from './sync/autoLinker';
import { SyncManager } from './sync/syncManager';
import type { SyncStatusSource } from './syncStatusSource';

/** The follower's checkpoint name in the adapter's store. */
export const ADAPTER_FOLLOWER = 'rpc-adapter-registry';

/** The adapter as a product piece: gRPC service, ledger follower, sync drivers, auto-link. */
export interface RunningAdapterProcess extends RunningRpcAdapter {
  follower?: LedgerFollower;
  sync?: SyncManager;
  autoLinker?: AutoLinker;
}

/**
 * Starts everything the configuration asks for on one classic-level store: the gRPC server, the
 * ledger follower feeding the registry store (and the auto-linker) from the configured org's
 * peer, and one EVM sync driver per link. `close` stops them in reverse order.
 */
export async function runRpcAdapter(config: RpcAdapterConfig): Promise<RunningAdapterProcess> {
  // The gRPC service asks for sync status before the manager exists (it needs the opened store).
  let sync: SyncManager | undefined;
  const syncStatus: SyncStatusSource = {
    progress: async (linkId) => sync?.progress(linkId),
    syncAccount: (linkId) => sync?.syncAccount(linkId) ?? '',
  };
  const adapter = await startRpcAdapter(config, syncStatus);
  const { db, store, links, logger } = adapter;
  let ledger: LedgerConnection | undefined;
  let follower: LedgerFollower | undefined;
  let autoLinker: AutoLinker | undefined;
  try {
    if (config.sync) {
      const masterSecret = readFileSync(config.sync.masterSecretFile);
      sync = new SyncManager({ db, links, source: store, masterSecret, logger });
      await sync.start();
      autoLinker = new AutoLinker(db, config.sync.autoLink, links, masterSecret, logger);
      autoLinker.start();
    }
    if (config.ledger) {
      ledger = connectLedger(config.ledger);
      const linker = autoLinker;
      follower = createLedgerFollower<CommittedBlock>({
        db: db as unknown as FollowerDb,
        name: ADAPTER_FOLLOWER,
        source: fabricBlockSource(ledger.network, { chaincode: config.ledger.chaincode }),
        sink: {
          async applyBlock(block, batch) {
            await store.applyBlock(block, batch as unknown as LevelBatch);
            await linker?.applyBlock(block, batch as unknown as LevelBatch);
          },
          committed: () => linker?.wake(),
        },
        onError: (error) => logger.warn({ err: error }, 'ledger follower'),
      });
      await follower.opened;
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  async function closeAll(): Promise<void> {
    await follower?.close();
    ledger?.close();
    await autoLinker?.stop();
    await sync?.stop();
    await adapter.close();
  }

  return {
    ...adapter,
    ...(follower && { follower }),
    ...(sync && { sync }),
    ...(autoLinker && { autoLinker }),
    close: closeAll,
  };
}
