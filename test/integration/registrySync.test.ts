import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { readCheckpoint, writeCheckpoint } from '@kyc-ledger/follower';
import { chainClient, type GatewayEndpoint, type GethChain, type Network } from '@kyc-ledger/network';
import { evmAccountOf, registryTokenReader, SyncSteps, type EvmSyncDriver } from '@kyc-ledger/rpc-adapter';
import { privateKeyToAccount } from 'viem/accounts';
import { appliedSequences, transactionStatuses } from '../support/evmRegistryChecks';
import { officerKeys } from '../support/investorFixtures';
import { seededRandom } from '../support/randomRegistryChanges';
import { RegistryWorkload } from '../support/registryWorkload';
import { deploySyncTarget, followRegistry, REGISTRY_FOLLOWER, syncDriver, type RegistryFollowing, type SyncTarget } from '../support/syncPipeline';
import { createTestNetwork, eventually, sleep, testProgress } from '../support/testNetwork';
import { runCrashChild, type CrashChildResult } from '../support/runCrashChild';

/** Crash runs: a fixed count (KYC_SYNC_LEDGER_CRASH_RUNS, e.g. 100), else as many as fit in KYC_SYNC_LEDGER_CRASH_SECONDS. */
const CRASH_RUNS = process.env.KYC_SYNC_LEDGER_CRASH_RUNS ? Number(process.env.KYC_SYNC_LEDGER_CRASH_RUNS) : undefined;
const CRASH_SECONDS = Number(process.env.KYC_SYNC_LEDGER_CRASH_SECONDS ?? 120);
const ASSET = 'SYNC-EVM';
const child = path.join(__dirname, '..', 'support', 'syncPipelineChild.js');
const log = (line: string) => process.stderr.write(`      ${line}\n`);

/**
 * The registry sync on a real ledger: issuer1's registry changes, made through its gateway, are
 * followed from the channel's blocks into the adapter's store and written by the sync driver to a
 * KycRegistryToken on the network's own geth chain (issuer1-evm) — through a replayed history, a
 * geth SIGKILL, a reorg and a driver SIGKILLed at every named step.
 */
describe('registry sync from a real ledger to the network\'s geth chain', function () {
  this.timeout(30 * 60_000);
  const seed = Number(process.env.KYC_SYNC_SEED ?? Date.now() % 1_000_000);
  const random = seededRandom(seed);
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-regsync-'));
  let network: Network;
  let chain: GethChain;
  let workload: RegistryWorkload;
  let target: SyncTarget;
  let following: RegistryFollowing;
  let driver: EvmSyncDriver;
  /** The chain's height once the token is deployed: a reorg must stay above it (geth does not re-pool rewound transactions). */
  let deployedAt: bigint;

  before(async function () {
    network = createTestNetwork('regsync', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 7000);
    const up = await network.up(testProgress());
    const gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    workload = new RegistryWorkload(gateways['issuer1'] as GatewayEndpoint, gateways['certifier1'] as GatewayEndpoint, `${network.config.name}/${network.config.channel.name}`, ASSET, officerKeys(3));
    chain = await network.privateChain('issuer1-evm');
    await workload.createAsset();
    target = await deploySyncTarget(chain.chain.httpUrl, ASSET);
    deployedAt = (await chain.height()) ?? 0n;
    following = await followRegistry(network, path.join(dir, 'adapter'));
    driver = syncDriver(following.db, following.store, target);
    driver.start();
    log(`seed ${seed}`);
  });

  after(async function () {
    await driver?.stop();
    await following?.close();
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The EVM list equals the ledger's: every address's registration status on the ledger is the
   * contract's isAuthenticated/isFrozen, appliedSeq is the ledger's head, each sequence has exactly
   * one RegistryChanged event on the canonical chain, and no transaction of the sync account reverted.
   */
  async function expectSynced(on: SyncTarget): Promise<{ head: number; transactions: number }> {
    const client = chainClient(on.httpUrl);
    const reader = registryTokenReader(client, on.contract);
    const head = await workload.ledgerHead();
    await eventually(async () => expect(Number(await reader.appliedSeq())).to.equal(head), 120_000, 500);
    for (const address of workload.addresses) {
      const account = evmAccountOf(address);
      if (account === undefined) throw new Error(`${address} is not an EVM address`);
      const evm = { authenticated: await reader.isAuthenticated(account), frozen: await reader.isFrozen(account) };
      expect(evm, address).to.deep.equal(await workload.ledgerStatus(address));
    }
    expect(await appliedSequences(client, on.contract)).to.deep.equal(Array.from({ length: head }, (_, i) => i + 1));
    const statuses = await transactionStatuses(client, privateKeyToAccount(on.syncKey).address);
    expect(statuses.filter((s) => s !== 'success')).to.deep.equal([]);
    return { head, transactions: statuses.length };
  }

  /** Waits until the driver has a transaction in flight (at most 15 s), so a disruption hits one. */
  async function whileInFlight(): Promise<number> {
    const deadline = Date.now() + 15_000;
    while (driver.status().inFlight === 0 && Date.now() < deadline) await sleep(100);
    return driver.status().inFlight;
  }

  /** `count` random changes one after the other, with `disruption` running beside them. */
  async function streamChanges(count: number, disruption: () => Promise<void>): Promise<void> {
    const changes = (async () => {
      for (let i = 0; i < count; i++) await workload.randomChange(random);
    })();
    await Promise.all([changes, disruption()]);
  }

  it('syncs registrations, deregistrations, freezes, unfreezes and recoveries', async function () {
    await workload.register(6);
    for (let i = 0; i < 6; i++) await workload.randomChange(random);
    const { head, transactions } = await expectSynced(target);
    log(`synced ${head} changes in ${transactions} EVM transactions (${JSON.stringify(workload.counts)})`);
  });

  it('geth SIGKILLed and restarted on its data dir while changes stream', async function () {
    const before = driver.status();
    let inFlight = 0;
    await streamChanges(8, async () => {
      inFlight = await whileInFlight();
      expect(await chain.kill()).to.equal(true);
      await sleep(4_000);
      await chain.start();
    });
    const { head, transactions } = await expectSynced(target);
    const after = driver.status();
    log(`geth killed with ${inFlight} transaction(s) in flight and restarted: head ${head}, transactions ${transactions}, rebroadcasts +${after.rebroadcasts - before.rebroadcasts}`);
  });

  it('a debug_setHead reorg of 1–10 blocks while changes stream', async function () {
    const before = driver.status();
    const depth = 1 + Math.floor(random() * 10);
    let reorg = { from: 0n, to: 0n };
    await streamChanges(8, async () => {
      await eventually(async () => expect(Number((await chain.height()) ?? 0n)).to.be.above(Number(deployedAt) + 12), 60_000, 250);
      // Once a transaction is in flight, and a moment later so a receipt may have been seen.
      await whileInFlight();
      await sleep(1_500);
      reorg = await chain.reorg(depth);
    });
    const { head, transactions } = await expectSynced(target);
    const after = driver.status();
    log(`reorg of ${depth} blocks (${reorg.from} → ${reorg.to}): head ${head}, transactions ${transactions}, rebroadcasts +${after.rebroadcasts - before.rebroadcasts}, reorged out +${after.reorgedOut - before.reorgedOut}`);
  });

  it('the pipeline SIGKILLed at random named driver steps, reading the real ledger', async function () {
    // A token of its own, synced from seq 1 by a pipeline (follower, store, driver) in a child
    // process, while the in-process pipeline goes on syncing the first token.
    const crashTarget = await deploySyncTarget(chain.chain.httpUrl, ASSET);
    const env = {
      KYC_NET_NAME: network.config.name,
      KYC_NET_DATADIR: network.config.dataDir,
      KYC_NET_PORT_BASE: String(network.config.portBase),
      KYC_SYNC_DB: path.join(dir, 'crash-adapter'),
      KYC_SYNC_RPC: crashTarget.httpUrl,
      KYC_SYNC_CONTRACT: crashTarget.contract,
      KYC_SYNC_ASSET: ASSET,
      KYC_SYNC_KEY: crashTarget.syncKey,
    };
    const killedAt = new Map<string, number>(SyncSteps.map((s) => [s, 0]));
    const started = Date.now();
    let runs = 0;
    let changes = 0;
    while (CRASH_RUNS !== undefined ? runs < CRASH_RUNS : Date.now() - started < CRASH_SECONDS * 1000) {
      // The ledger moves on while the pipeline is down (not in every run, so some runs only resume).
      if (runs > 0 && random() < 0.7) {
        await workload.randomChange(random);
        changes++;
      }
      const step = SyncSteps[Math.floor(random() * SyncSteps.length)]!;
      const n = 1 + Math.floor(random() * 2);
      const result = await runChild({ ...env, KYC_SYNC_HEAD: String(await workload.ledgerHead()), KYC_SYNC_CRASH_AT: `${step}:${n}` });
      if (result.signal === 'SIGKILL') killedAt.set(step, killedAt.get(step)! + 1);
      else expect(result.code, result.stderr).to.equal(0);
      runs++;
    }
    const final = await runChild({ ...env, KYC_SYNC_HEAD: String(await workload.ledgerHead()) });
    expect(final.code, final.stderr).to.equal(0);
    const { head, transactions } = await expectSynced(crashTarget);
    const kills = [...killedAt.values()].reduce((a, b) => a + b, 0);
    log(`crash runs: ${runs} in ${Math.round((Date.now() - started) / 1000)} s, killed: ${kills} (${[...killedAt].map(([s, k]) => `${s} ${k}`).join(', ')}), ledger changes during the runs: ${changes}, head ${head}, transactions ${transactions}`);
    expect(kills).to.be.greaterThan(runs / 3);
  });

  it('a replayed history (checkpoint rewound by 100 blocks) changes nothing on the EVM chain', async function () {
    const client = chainClient(target.httpUrl);
    const syncAccount = privateKeyToAccount(target.syncKey).address;
    // A true 100-block rewind needs a ledger longer than that: grow it with more changes if not.
    for (let i = 0; i < 60 && ((await readCheckpoint(following.db, REGISTRY_FOLLOWER)) ?? 0n) <= 105n; i++) await workload.randomChange(random);
    await expectSynced(target);
    await eventually(async () => expect(driver.status().inFlight).to.equal(0), 60_000, 200);
    const nonce = await client.getTransactionCount({ address: syncAccount, blockTag: 'latest' });
    const applied = await registryTokenReader(client, target.contract).appliedSeq();
    const storeHead = await following.store.head(ASSET);

    await following.stopFollowing();
    const checkpoint = (await readCheckpoint(following.db, REGISTRY_FOLLOWER)) as bigint;
    expect(checkpoint > 100n, `the ledger has only ${checkpoint} blocks`).to.equal(true);
    const rewound = checkpoint - 100n;
    await writeCheckpoint(following.db, REGISTRY_FOLLOWER, rewound);
    const follower = await following.follow();
    expect(follower.resumedFrom).to.equal(rewound);
    await eventually(async () => expect(follower.checkpoint! >= checkpoint && follower.caughtUp).to.equal(true), 60_000, 200);
    // Give the driver rounds to act on the re-applied blocks, were it to.
    await sleep(3_000);

    expect(await following.store.head(ASSET)).to.equal(storeHead);
    expect(await client.getTransactionCount({ address: syncAccount, blockTag: 'latest' })).to.equal(nonce);
    expect(await client.getTransactionCount({ address: syncAccount, blockTag: 'pending' })).to.equal(nonce);
    expect(await registryTokenReader(client, target.contract).appliedSeq()).to.equal(applied);
    expect(driver.status().inFlight).to.equal(0);
    await expectSynced(target);
    log(`checkpoint rewound from block ${checkpoint} to ${rewound} (${follower.blocksApplied} blocks re-applied); sync account nonce stays ${nonce}, appliedSeq ${applied}`);
  });
});

function runChild(env: NodeJS.ProcessEnv): Promise<CrashChildResult> {
  return runCrashChild(child, env, 120_000);
}
