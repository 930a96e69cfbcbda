import { ClassicLevel } from 'classic-level';
import { createLedgerFollower, fabricBlockSource, type LedgerFollower } from '@kyc-ledger/follower';
import { chainClient, fundFromDevAccount, type Network } from '@kyc-ledger/network';
import { EvmSyncDriver, RegistryStore, SyncOutbox, type SyncStepHook } from '@kyc-ledger/rpc-adapter';
import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { connectAs } from './gatewayClient';
import { deployTokenWithSyncKey } from './registryTokenFixture';

/*
 * The RPC adapter's sync path composed from its merged parts, for tests only (the product
 * composition is rpc-adapter/src/runRpcAdapter.ts): the channel's blocks, read as issuer1's client
 * user, feed a RegistryStore through the ledger follower (store and checkpoint in one classic-level
 * database), and an EvmSyncDriver writes one asset's changes from that store to a token on an EVM
 * chain, its outbox in a sublevel of the same database.
 */

/** The follower's checkpoint name in the pipeline's database. */
export const REGISTRY_FOLLOWER = 'rpc-adapter-registry';

/** The ledger's blocks followed into a RegistryStore kept on disk. */
export interface RegistryFollowing {
  db: ClassicLevel<string, string>;
  store: RegistryStore;
  follower: LedgerFollower;
  /** Stops the follower only (the database stays open, e.g. to rewind the checkpoint and follow again). */
  stopFollowing(): Promise<void>;
  /** Follows again from the checkpoint the database holds now. */
  follow(): Promise<LedgerFollower>;
  /** Stops the follower, closes the Fabric connection and the database. */
  close(): Promise<void>;
}

/** Opens (or reopens) the store in `dbDir` and follows the channel into it from its checkpoint. */
export async function followRegistry(network: Network, dbDir: string, onError?: (error: unknown) => void): Promise<RegistryFollowing> {
  const db = new ClassicLevel<string, string>(dbDir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  // Created before the follower's first batch: the store learns of committed heads from the db's write events.
  const store = new RegistryStore(db);
  const connection = connectAs(network, 'issuer1');
  const source = fabricBlockSource(connection.gateway.getNetwork(network.config.channel.name), { chaincode: network.config.chaincode.name });
  const start = async () => {
    const follower = createLedgerFollower({ db, name: REGISTRY_FOLLOWER, source, sink: store, retryMs: 200, heightCheckMs: 1000, ...(onError && { onError }) });
    await follower.opened;
    return follower;
  };
  const following: RegistryFollowing = {
    db,
    store,
    follower: await start(),
    stopFollowing: () => following.follower.close(),
    async follow() {
      following.follower = await start();
      return following.follower;
    },
    async close() {
      await following.follower.close();
      connection.close();
      await db.close();
    },
  };
  return following;
}

/** A token for `asset` on a chain, and the key of its sync account (both funded from the dev account). */
export interface SyncTarget {
  httpUrl: string;
  contract: Address;
  asset: string;
  syncKey: Hex;
}

/** Deploys a KycRegistryToken for `asset` on the chain at `httpUrl`, with a new funded sync account. */
export async function deploySyncTarget(httpUrl: string, asset: string): Promise<SyncTarget> {
  const client = chainClient(httpUrl);
  const fund = async (to: Address) => void (await fundFromDevAccount(httpUrl, to));
  const { contract, syncKey } = await deployTokenWithSyncKey({ url: httpUrl, client, fund }, asset);
  return { httpUrl, contract, asset, syncKey };
}

/** Driver settings the tests vary; the rest are short so a test does not wait on them. */
export interface SyncDriverSettings {
  confirmations?: number;
  batchSize?: number;
  maxInFlight?: number;
  onStep?: SyncStepHook;
}

/** An EvmSyncDriver from `store` to `target`, its outbox in the sublevel `sync-outbox/<contract>` of `db`. */
export function syncDriver(db: ClassicLevel<string, string>, store: RegistryStore, target: SyncTarget, settings: SyncDriverSettings = {}): EvmSyncDriver {
  const outboxDb = db.sublevel<string, string>(`sync-outbox/${target.contract.toLowerCase()}`, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  return new EvmSyncDriver({
    client: chainClient(target.httpUrl),
    contract: target.contract,
    asset: target.asset,
    signer: privateKeyToAccount(target.syncKey),
    source: store,
    outbox: new SyncOutbox(outboxDb),
    confirmations: settings.confirmations ?? 2,
    batchSize: settings.batchSize ?? 5,
    maxInFlight: settings.maxInFlight ?? 2,
    pollIntervalMs: 200,
    rebroadcastAfterMs: 1_500,
    maxBackoffMs: 2_000,
    ...(settings.onStep && { onStep: settings.onStep }),
  });
}
