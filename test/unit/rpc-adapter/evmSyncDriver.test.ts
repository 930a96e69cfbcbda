import { expect } from 'chai';
import { ClassicLevel } from 'classic-level';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EvmSyncDriver, SyncOutbox, type SyncStatus } from '@kyc-ledger/rpc-adapter';
import { privateKeyToAccount } from 'viem/accounts';
import { startDevGeth, type DevGeth } from '../../support/devGeth';
import { appliedSequences, evmStateOf, expectedEvmState, transactionStatuses } from '../../support/evmRegistryChecks';
import { MemoryChangeSource } from '../../support/memoryChangeSource';
import { randomRegistryChange, seededRandom } from '../../support/randomRegistryChanges';
import { deployTokenWithSyncKey } from '../../support/registryTokenFixture';
import { eventually, sleep } from '../../support/testNetwork';

const PORT_BASE = Number(process.env.KYC_EVM_TEST_PORT_BASE ?? 48000) + 20;

describe('EvmSyncDriver against a real geth (dev mode)', function () {
  this.timeout(180_000);
  let geth: DevGeth;
  const dirs: string[] = [];
  const seed = Number(process.env.KYC_SYNC_SEED ?? Date.now() % 1_000_000);

  before(async function () {
    geth = await startDevGeth(PORT_BASE);
  });
  after(async () => {
    await geth?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function driverFor(asset: string, source: MemoryChangeSource, confirmations: number) {
    const { contract, syncKey } = await deployTokenWithSyncKey(geth, asset);
    const dir = mkdtempSync(path.join(tmpdir(), 'kyc-evmsync-'));
    dirs.push(dir);
    const db = new ClassicLevel<string, string>(dir);
    const driver = new EvmSyncDriver({
      client: geth.client,
      contract,
      asset,
      signer: privateKeyToAccount(syncKey),
      source,
      outbox: new SyncOutbox(db),
      confirmations,
      batchSize: 7,
      pollIntervalMs: 200,
      rebroadcastAfterMs: 1_500,
    });
    return { driver, contract, db, signer: privateKeyToAccount(syncKey).address };
  }

  async function expectSynced(driver: EvmSyncDriver, head: number): Promise<SyncStatus> {
    return eventually(async () => {
      const status = driver.status();
      expect(status, JSON.stringify(status)).to.deep.include({ confirmedSeq: head, appliedSeq: head, inFlight: 0 });
      return status;
    }, 120_000, 300);
  }

  it(`syncs every change exactly once, in order, also those added while it runs (seed ${seed})`, async () => {
    const random = seededRandom(seed);
    const source = new MemoryChangeSource();
    for (let i = 0; i < 30; i++) {
      const { op, address } = randomRegistryChange(random);
      source.append('SYNC-A', op, address);
    }
    const { driver, contract, db, signer } = await driverFor('SYNC-A', source, 2);
    driver.start();
    try {
      await sleep(1_500);
      for (let i = 0; i < 15; i++) {
        const { op, address } = randomRegistryChange(random);
        source.append('SYNC-A', op, address);
      }
      const status = await expectSynced(driver, 45);
      expect(status).to.deep.include({ ledgerHead: 45, lag: 0 });
      expect(status.appliedSeq).to.equal(45);
    } finally {
      await driver.stop();
      await db.close();
    }
    expect(await appliedSequences(geth.client, contract)).to.deep.equal(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(await evmStateOf(geth.client, contract, source.all('SYNC-A'))).to.deep.equal(expectedEvmState(source.all('SYNC-A')));
    const statuses = await transactionStatuses(geth.client, signer);
    expect(statuses.length).to.be.within(7, 12);
    expect(statuses.every((s) => s === 'success')).to.equal(true);
  });

  it(`rebroadcasts what a debug_setHead reorg of 1–10 blocks dropped, while changes stream (seed ${seed})`, async () => {
    const random = seededRandom(seed + 1);
    const source = new MemoryChangeSource();
    const { driver, contract, db } = await driverFor('SYNC-R', source, 3);
    // Rewinds never reach below this block, so only the driver's transactions can be dropped
    // (geth does not put the transactions of rewound blocks back in its pool).
    const floor = await geth.client.getBlockNumber({ cacheTime: 0 });
    driver.start();
    let rewinds = 0;
    try {
      for (let round = 0; round < 6; round++) {
        for (let i = 0; i < 5; i++) {
          const { op, address } = randomRegistryChange(random);
          source.append('SYNC-R', op, address);
        }
        await sleep(1_200 + Math.floor(random() * 1_500));
        const depth = 1 + Math.floor(random() * 10);
        while ((await geth.client.getBlockNumber({ cacheTime: 0 })) < floor + BigInt(depth)) await sleep(250);
        await geth.rewind(depth);
        rewinds += 1;
      }
      // Let the driver see the last rewind (it drops receipts it may have counted already).
      await geth.waitBlocks(2);
      const status = await expectSynced(driver, 30);
      // The rewinds dropped mined transactions and the driver sent their stored bytes again.
      expect(status.reorgedOut, JSON.stringify(status)).to.be.greaterThan(0);
    } finally {
      await driver.stop();
      await db.close();
    }
    expect(rewinds).to.equal(6);
    const sequences = await appliedSequences(geth.client, contract);
    expect(sequences).to.deep.equal(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await evmStateOf(geth.client, contract, source.all('SYNC-R'))).to.deep.equal(expectedEvmState(source.all('SYNC-R')));
  });
});
