import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RegistryChange } from '@kyc-ledger/api';
import { SyncSteps } from '@kyc-ledger/rpc-adapter';
import { privateKeyToAccount } from 'viem/accounts';
import { startDevGeth, type DevGeth } from '../../support/devGeth';
import { appliedSequences, evmStateOf, expectedEvmState, transactionStatuses } from '../../support/evmRegistryChecks';
import { FileChangeSource, MemoryChangeSource } from '../../support/memoryChangeSource';
import { randomRegistryChange, seededRandom } from '../../support/randomRegistryChanges';
import { deployTokenWithSyncKey } from '../../support/registryTokenFixture';
import { runCrashChild, type CrashChildResult } from '../../support/runCrashChild';

const PORT_BASE = Number(process.env.KYC_EVM_TEST_PORT_BASE ?? 48000) + 30;
/** Randomized crash runs (KYC_SYNC_CRASH_RUNS; the acceptance target is 100). */
const RUNS = Number(process.env.KYC_SYNC_CRASH_RUNS ?? 20);
const child = path.join(__dirname, '..', '..', 'support', 'syncDriverChild.js');

function runChild(env: NodeJS.ProcessEnv): Promise<CrashChildResult> {
  return runCrashChild(child, env, 90_000);
}

describe('EvmSyncDriver SIGKILLed at each named step (child processes, real geth)', function () {
  this.timeout(RUNS * 30_000 + 120_000);
  let geth: DevGeth;
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-synccrash-'));
  const seed = Number(process.env.KYC_SYNC_SEED ?? Date.now() % 1_000_000);

  before(async function () {
    geth = await startDevGeth(PORT_BASE);
  });
  after(async () => {
    await geth?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps the EVM list equal to the ledger's, every sequence applied once, over ${RUNS} randomized crashes (seed ${seed})`, async () => {
    const random = seededRandom(seed);
    const asset = 'CRASH-1';
    const { contract, syncKey } = await deployTokenWithSyncKey(geth, asset);
    const sourceFile = path.join(dir, 'changes.json');
    const memory = new MemoryChangeSource();
    const env = {
      KYC_SYNC_RPC: geth.url,
      KYC_SYNC_CONTRACT: contract,
      KYC_SYNC_ASSET: asset,
      KYC_SYNC_KEY: syncKey,
      KYC_SYNC_DB: path.join(dir, 'outbox'),
      KYC_SYNC_SOURCE: sourceFile,
      KYC_SYNC_CONFIRMATIONS: '2',
    };
    const killedAt = new Map<string, number>(SyncSteps.map((s) => [s, 0]));
    for (let run = 0; run < RUNS; run++) {
      // New changes arrive between runs, as the ledger keeps moving while the driver is down.
      const count = 1 + Math.floor(random() * 4);
      for (let i = 0; i < count; i++) {
        const { op, address } = randomRegistryChange(random);
        memory.append(asset, op, address);
      }
      FileChangeSource.write(sourceFile, memory.all(asset));
      const step = SyncSteps[Math.floor(random() * SyncSteps.length)]!;
      const n = 1 + Math.floor(random() * 2);
      const result = await runChild({ ...env, KYC_SYNC_CRASH_AT: `${step}:${n}` });
      if (result.signal === 'SIGKILL') killedAt.set(step, killedAt.get(step)! + 1);
      else expect(result.code, result.stderr).to.equal(0);
    }
    // A last run without a crash finishes the sync.
    const final = await runChild(env);
    expect(final.code, final.stderr).to.equal(0);

    const changes: RegistryChange[] = memory.all(asset);
    const head = changes.length;
    expect(await appliedSequences(geth.client, contract)).to.deep.equal(Array.from({ length: head }, (_, i) => i + 1));
    expect(await evmStateOf(geth.client, contract, changes)).to.deep.equal(expectedEvmState(changes));
    // No transaction of the driver reverted (an already-applied range is a no-op, not a revert).
    const statuses = await transactionStatuses(geth.client, privateKeyToAccount(syncKey).address);
    expect(statuses.filter((s) => s !== 'success')).to.deep.equal([]);
    const kills = [...killedAt.values()].reduce((a, b) => a + b, 0);
    process.stderr.write(`      crash runs: ${RUNS}, killed: ${kills} (${[...killedAt].map(([s, k]) => `${s} ${k}`).join(', ')}), changes: ${head}, transactions: ${statuses.length}\n`);
    expect(kills).to.be.greaterThan(RUNS / 3);
  });
});
