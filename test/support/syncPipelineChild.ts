// The sync pipeline (ledger follower → RegistryStore → EvmSyncDriver) in its own process, on a
// running test network, for the crash-injection test on a real ledger: the parent SIGKILLs it at a
// named driver step through KYC_SYNC_CRASH_AT; without a crash it exits 0 once the contract has
// applied and confirmed every change up to KYC_SYNC_HEAD.
import path from 'node:path';
import { createNetwork, loadNetwork } from '@kyc-ledger/network';
import { crashPointFromEnv } from '@kyc-ledger/rpc-adapter';
import type { Address, Hex } from 'viem';
import { followRegistry, syncDriver } from './syncPipeline';
import { REPO_ROOT } from './testNetwork';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (value === undefined) throw new Error(`${name} is not set`);
    return value;
  };
  const network = createNetwork(loadNetwork(path.join(REPO_ROOT, 'network.yaml'), {
    name: env('KYC_NET_NAME'),
    dataDir: env('KYC_NET_DATADIR'),
    portBase: Number(env('KYC_NET_PORT_BASE')),
  }));
  const following = await followRegistry(network, env('KYC_SYNC_DB'));
  const target = { httpUrl: env('KYC_SYNC_RPC'), contract: env('KYC_SYNC_CONTRACT') as Address, asset: env('KYC_SYNC_ASSET'), syncKey: env('KYC_SYNC_KEY') as Hex };
  const driver = syncDriver(following.db, following.store, target, { onStep: crashPointFromEnv() });
  driver.start();
  const head = Number(env('KYC_SYNC_HEAD'));
  for (;;) {
    const status = driver.status();
    if (status.confirmedSeq >= head && status.appliedSeq >= head && status.inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await driver.stop();
  await following.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
