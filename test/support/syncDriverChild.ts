// A sync driver in its own process for the crash-injection test: the parent SIGKILLs it at a named
// step through KYC_SYNC_CRASH_AT; without a crash it exits 0 once every change is confirmed.
import { ClassicLevel } from 'classic-level';
import { crashPointFromEnv, EvmSyncDriver, SyncOutbox } from '@kyc-ledger/rpc-adapter';
import { createPublicClient, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { FileChangeSource } from './memoryChangeSource';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (value === undefined) throw new Error(`${name} is not set`);
    return value;
  };
  const source = new FileChangeSource(env('KYC_SYNC_SOURCE'));
  const db = new ClassicLevel<string, string>(env('KYC_SYNC_DB'));
  const driver = new EvmSyncDriver({
    client: createPublicClient({ transport: http(env('KYC_SYNC_RPC'), { retryCount: 0 }) }),
    contract: env('KYC_SYNC_CONTRACT') as Address,
    asset: env('KYC_SYNC_ASSET'),
    signer: privateKeyToAccount(env('KYC_SYNC_KEY') as Hex),
    source,
    outbox: new SyncOutbox(db),
    confirmations: Number(env('KYC_SYNC_CONFIRMATIONS')),
    batchSize: 3,
    maxInFlight: 2,
    pollIntervalMs: 150,
    rebroadcastAfterMs: 1_500,
    onStep: crashPointFromEnv(),
  });
  driver.start();
  const head = source.read().length;
  for (;;) {
    const status = driver.status();
    if (status.confirmedSeq === head && status.appliedSeq === head && status.inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await driver.stop();
  await db.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
