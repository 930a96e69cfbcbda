import type { Logger } from 'pino';
import { createPublicClient, http, type Address, type PublicClient } from 'viem';
import type { RegistryChangeSource } from '../registryChangeSource';
import type { ChainLinkRecord, LinkStore } from '../store/linkStore';
import type { LevelDb } from '../store/levelTypes';
import type { LinkSyncProgress, SyncStatusSource } from '../syncStatusSource';
import { EvmSyncDriver, type EvmSyncOptions, type SyncStatus } from './evmSyncDriver';
import { syncAccountOf } from './syncAccounts';
import { SyncOutbox, type SyncDb } from './syncOutbox';

/** What the manager runs its drivers with. */
export interface SyncManagerOptions {
  /** The adapter's store: each link's outbox lives in a sublevel of it. */
  db: LevelDb;
  links: LinkStore;
  source: RegistryChangeSource;
  /** Each link's sync account key derives from it (see {@link syncAccountOf}). */
  masterSecret: Uint8Array;
  logger: Logger;
  /** The JSON-RPC client of a link's chain (tests may substitute one). */
  clientFor?: (link: ChainLinkRecord) => PublicClient;
  /** Passed to every driver (poll interval, batch size, …). */
  driverOptions?: Partial<Pick<EvmSyncOptions, 'batchSize' | 'maxInFlight' | 'pollIntervalMs' | 'rebroadcastAfterMs' | 'maxBackoffMs'>>;
}

interface Running {
  driver: EvmSyncDriver;
  /** The confirmed sequence last seen and when it was first seen, for `updatedAt`. */
  seen: { confirmedSeq: number; lastError: string | undefined; at: string | undefined };
}

function defaultClient(link: ChainLinkRecord): PublicClient {
  return createPublicClient({ transport: http(link.chain.rpcUrl, { timeout: 10_000, retryCount: 0 }), pollingInterval: 250 });
}

/**
 * Runs one {@link EvmSyncDriver} per link in the link store, started and stopped as links are
 * added and removed. Each link signs with its own derived key and keeps its outbox in a sublevel
 * of its own. Answers the gRPC service's sync-status questions.
 */
export class SyncManager implements SyncStatusSource {
  private readonly running = new Map<string, Running>();
  private reconciling: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: SyncManagerOptions) {}

  /** Starts a driver for every stored link and follows link changes. */
  async start(): Promise<void> {
    this.unsubscribe = this.options.links.onLinksChanged(() => void this.reconcile());
    await this.reconcile();
  }

  /** Stops every driver (after its current round). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.reconciling;
    await Promise.all([...this.running.values()].map((r) => r.driver.stop()));
    this.running.clear();
  }

  /** The EVM account link `linkId` signs with: it must be a sync account of the link's contract, and funded. */
  syncAccount(linkId: string): Address {
    return syncAccountOf(this.options.masterSecret, linkId).address;
  }

  /** The driver's full status of link `linkId`, or undefined when no driver runs for it. */
  status(linkId: string): SyncStatus | undefined {
    return this.running.get(linkId)?.driver.status();
  }

  async progress(linkId: string): Promise<LinkSyncProgress | undefined> {
    const running = this.running.get(linkId);
    if (!running) return undefined;
    const status = running.driver.status();
    const lastError = status.lastError?.message;
    const seen = running.seen;
    if (seen.confirmedSeq !== status.confirmedSeq || seen.lastError !== lastError) {
      running.seen = { confirmedSeq: status.confirmedSeq, lastError, at: new Date().toISOString() };
    }
    return {
      appliedSeq: status.confirmedSeq,
      ...(lastError !== undefined && { lastError }),
      ...(running.seen.at !== undefined && { updatedAt: running.seen.at }),
    };
  }

  /** Makes the running drivers match the stored links; runs one at a time. */
  reconcile(): Promise<void> {
    const next = this.reconciling.then(() => this.reconcileNow());
    this.reconciling = next.catch((error: unknown) => this.options.logger.error({ err: error }, 'cannot start or stop sync drivers'));
    return next;
  }

  private async reconcileNow(): Promise<void> {
    if (this.stopped) return;
    const links = await this.options.links.list();
    const wanted = new Set(links.map((l) => l.linkId));
    for (const [linkId, running] of this.running) {
      if (wanted.has(linkId)) continue;
      this.running.delete(linkId);
      await running.driver.stop();
      this.options.logger.info({ linkId }, 'sync stopped (unlinked)');
    }
    for (const link of links) {
      if (this.running.has(link.linkId)) continue;
      const { db, source, masterSecret, driverOptions } = this.options;
      const signer = syncAccountOf(masterSecret, link.linkId);
      const driver = new EvmSyncDriver({
        ...driverOptions,
        client: (this.options.clientFor ?? defaultClient)(link),
        contract: link.chain.contractAddress as Address,
        asset: link.asset,
        signer,
        source,
        outbox: new SyncOutbox(db.sublevel<string, string>(`sync-outbox-${link.linkId}`, {}) as unknown as SyncDb),
        confirmations: link.chain.confirmations,
      });
      this.running.set(link.linkId, { driver, seen: { confirmedSeq: 0, lastError: undefined, at: undefined } });
      driver.start();
      this.options.logger.info({ linkId: link.linkId, asset: link.asset, chainId: link.chain.chainId, syncAccount: signer.address }, 'sync started');
    }
  }
}
