import { readFileSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import pino, { type Logger } from 'pino';
import { startAdapterServer, type AdapterServer } from './grpc/adapterServer';
import { OrgResolver } from './grpc/orgResolver';
import { TokenCodec } from './grpc/resumeTokens';
import type { RpcAdapterConfig } from './rpcAdapterConfig';
import { LinkStore } from './store/linkStore';
import type { LevelDb } from './store/levelTypes';
import { RegistryStore } from './store/registryStore';
import type { SyncStatusSource } from './syncStatusSource';

/** A running adapter: its store (for the ledger follower to feed) and its gRPC server. */
export interface RunningRpcAdapter {
  db: LevelDb;
  store: RegistryStore;
  links: LinkStore;
  server: AdapterServer;
  logger: Logger;
  close(): Promise<void>;
}

/** Until the sync driver runs, every link reports no progress. */
const NO_SYNC_STATUS: SyncStatusSource = { progress: async () => undefined };

/**
 * Opens the on-disk store and starts the gRPC server. The ledger follower (fed into `store`) and
 * the sync driver (`syncStatus`) are attached by whoever runs the adapter.
 */
export async function startRpcAdapter(config: RpcAdapterConfig, syncStatus: SyncStatusSource = NO_SYNC_STATUS): Promise<RunningRpcAdapter> {
  const logger = pino({ name: 'kyc-rpc-adapter', level: config.logLevel });
  const db = new ClassicLevel<string, string>(config.dataDir) as unknown as LevelDb;
  await db.open();
  const store = new RegistryStore(db);
  const links = new LinkStore(db);
  try {
    const server = await startAdapterServer(
      {
        store,
        links,
        syncStatus,
        tokens: new TokenCodec(readFileSync(config.tokenSecretFile), config.resumeTokenTtlMs),
        orgs: new OrgResolver(config.orgs.map((o) => ({ mspId: o.mspId, caCertsPem: o.caCertFiles.map((f) => readFileSync(f, 'utf8')) }))),
        logger,
        heartbeatMs: config.heartbeatMs,
      },
      { certPem: readFileSync(config.tls.certFile, 'utf8'), keyPem: readFileSync(config.tls.keyFile, 'utf8') },
      config.listen.host,
      config.listen.port,
    );
    return {
      db,
      store,
      links,
      server,
      logger,
      async close() {
        await server.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
