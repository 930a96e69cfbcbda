import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { createTestNetwork, eventually, REPO_ROOT, sleep, testProgress } from '../support/testNetwork';

const TOTAL = Number(process.env.KYC_RESTART_ATTESTATIONS ?? 30_000);
const CHUNK = 500;
const IN_FLIGHT = 8;
const MB = 1024 * 1024;

/** The gateway's Prometheus metrics by name (labels dropped). */
async function metrics(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`metrics: ${res.status}`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    // Every metric carries the gateway's default label (org); the ones read here have no other.
    const space = line.lastIndexOf(' ');
    const name = line.slice(0, space).replace(/\{.*\}$/, '');
    out.set(name, Number(line.slice(space + 1)));
  }
  return out;
}

const metric = (m: Map<string, number>, name: string) => {
  const value = m.get(name);
  if (value === undefined) throw new Error(`no metric ${name}`);
  return value;
};

/** Waits until the bank gateway's replica is caught up at `height` or more; returns its metrics then. */
async function caughtUpAt(url: string, height: number, timeoutMs: number): Promise<Map<string, number>> {
  return eventually(async () => {
    const m = await metrics(url);
    if (metric(m, 'kyc_gateway_replica_caught_up') !== 1 || metric(m, 'kyc_gateway_replica_height') < height) throw new Error(`not caught up: ${JSON.stringify(Object.fromEntries(m))}`.slice(0, 300));
    return m;
  }, timeoutMs, 100);
}

async function chainHeight(url: string): Promise<number> {
  return metric(await metrics(url), 'kyc_gateway_replica_height');
}

/**
 * Issue 10's acceptance: a bank gateway restarted on a ledger of many attestations (30,000 by
 * default, KYC_RESTART_ATTESTATIONS) is ready without replaying from block 0, and its resident
 * memory does not grow with the number of attestations: the replica lives in the gateway's
 * classic-level store under its data dir. For contrast, the same gateway without a data dir
 * (an in-memory store) replays every block from 0.
 */
describe('bank gateway restart on a large ledger (durable replica, issue 10)', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let bank: GatewayEndpoint;
  let certifier: GatewayEndpoint;
  const started: ChildProcess[] = [];

  before(async function () {
    network = createTestNetwork('restart', Number(process.env.KYC_TEST_PORT_BASE ?? 17000));
    const up = await network.up(testProgress());
    const find = (org: string) => up.gateways.find((g) => g.org === org);
    bank = find('bank1') as GatewayEndpoint;
    certifier = find('certifier1') as GatewayEndpoint;
  });

  after(async function () {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    await network?.down(testProgress());
  });

  /** Starts the bank gateway from `configFile` as the network does, logging to the node dir. */
  function startGateway(configFile: string, log: string): ChildProcess {
    const fd = openSync(log, 'a');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'gateway', 'dist', 'cli.js'), 'start', '--config', configFile], { stdio: ['ignore', fd, fd], cwd: network.layout.nodeDir(bank.id) });
    closeSync(fd);
    started.push(child);
    return child;
  }

  it(`loads ${TOTAL} attestations, then a restarted bank gateway resumes from its store, ready without replaying from block 0, in memory that does not grow with the attestations`, async function () {
    const figures: Record<string, unknown> = {};
    const before = await caughtUpAt(bank.url, 1, 120_000);
    const rssBefore = metric(before, 'process_resident_memory_bytes');
    figures.rssBeforeLoadMb = +(rssBefore / MB).toFixed(1);

    const networkId = `${network.config.name}/${network.config.channel.name}`;
    const chunks: string[] = [];
    for (let start = 0; start < TOTAL; start += CHUNK) {
      chunks.push(JSON.stringify({ items: Array.from({ length: Math.min(CHUNK, TOTAL - start) }, () => attestationRequest(networkId, { kind: 'ed25519' }).input) }));
    }
    const loadStart = performance.now();
    let registered = 0;
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < chunks.length) {
        const body = chunks[next++] as string;
        // A kept-alive socket the server has just closed fails the request: send it again (a
        // bulk registration is idempotent, what already landed comes back as unchanged).
        for (let attempt = 1; ; attempt++) {
          try {
            const res = await fetch(`${certifier.url}/v1/attestations/bulk`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': certifier.apiKey }, body });
            const json = (await res.json()) as { registered?: number; unchanged?: number };
            if (res.status !== 200) throw new Error(`bulk: ${res.status} ${JSON.stringify(json)}`);
            registered += (json.registered ?? 0) + (json.unchanged ?? 0);
            break;
          } catch (error) {
            if (!(error instanceof TypeError) || attempt >= 3) throw error;
            figures.bulkRetries = Number(figures.bulkRetries ?? 0) + 1;
          }
        }
      }
    }));
    expect(registered).to.equal(TOTAL);
    figures.loadSeconds = +((performance.now() - loadStart) / 1000).toFixed(1);

    // The running bank gateway applies every block into its store.
    const loaded = await eventually(async () => {
      const m = await metrics(bank.url);
      if (metric(m, 'kyc_gateway_replica_attestations') < TOTAL || metric(m, 'kyc_gateway_replica_caught_up') !== 1) throw new Error('replica not there yet');
      return m;
    }, 300_000, 200);
    const height = metric(loaded, 'kyc_gateway_replica_height');
    figures.height = height;
    figures.rssAfterLoadMb = +(metric(loaded, 'process_resident_memory_bytes') / MB).toFixed(1);

    // Kill the bank gateway the network started (SIGKILL: no orderly close), then start it again
    // on the same config and data dir.
    // (network.killNode covers Fabric nodes only: the gateway's pid is in its process record.)
    const record = JSON.parse(readFileSync(network.layout.nodePidFile(bank.id), 'utf8')) as { pid: number };
    process.kill(record.pid, 'SIGKILL');
    await eventually(async () => {
      const alive = await fetch(`${bank.url}/livez`).then(() => true, () => false);
      if (alive) throw new Error('still up');
    }, 20_000, 100);
    const configFile = path.join(network.layout.root, 'gateways', `${bank.org}.yaml`);
    const restartedAt = performance.now();
    startGateway(configFile, path.join(network.layout.nodeDir(bank.id), 'restart.log'));
    const ready = await caughtUpAt(bank.url, height, 300_000);
    figures.restartReadySeconds = +((performance.now() - restartedAt) / 1000).toFixed(2);
    figures.resumedFrom = metric(ready, 'kyc_gateway_replica_resumed_from');
    figures.blocksAppliedSinceRestart = metric(ready, 'kyc_gateway_replica_blocks_applied_total');
    figures.attestationsAfterRestart = metric(ready, 'kyc_gateway_replica_attestations');
    figures.rssAfterRestartMb = +(metric(ready, 'process_resident_memory_bytes') / MB).toFixed(1);
    // Settle, then read RSS again (start-up garbage collected or not, it is what the process holds).
    await sleep(2000);
    figures.rssAfterRestartSettledMb = +(metric(await metrics(bank.url), 'process_resident_memory_bytes') / MB).toFixed(1);

    // The contrast: the same gateway without a data dir replays every block into memory.
    started.at(-1)?.kill('SIGKILL');
    await eventually(async () => {
      const alive = await fetch(`${bank.url}/livez`).then(() => true, () => false);
      if (alive) throw new Error('still up');
    }, 20_000, 100);
    const config = parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    delete config.dataDir;
    const memoryConfig = path.join(network.layout.root, 'gateways', `${bank.org}-in-memory.yaml`);
    writeFileSync(memoryConfig, stringify(config));
    const memoryAt = performance.now();
    startGateway(memoryConfig, path.join(network.layout.nodeDir(bank.id), 'in-memory.log'));
    const memoryReady = await caughtUpAt(bank.url, height, 300_000);
    figures.inMemoryReplayReadySeconds = +((performance.now() - memoryAt) / 1000).toFixed(2);
    figures.inMemoryResumedFrom = metric(memoryReady, 'kyc_gateway_replica_resumed_from');
    figures.inMemoryBlocksApplied = metric(memoryReady, 'kyc_gateway_replica_blocks_applied_total');
    figures.rssInMemoryReplayMb = +(metric(memoryReady, 'process_resident_memory_bytes') / MB).toFixed(1);
    started.at(-1)?.kill('SIGKILL');
    process.stderr.write(`      figures: ${JSON.stringify(figures)}\n`);

    // Resumed where its store was, not at 0, with every attestation still there.
    expect(figures.resumedFrom).to.equal(height);
    expect(figures.blocksAppliedSinceRestart).to.equal(0);
    expect(figures.attestationsAfterRestart).to.be.at.least(TOTAL);
    expect(figures.inMemoryResumedFrom).to.equal(0);
    expect(figures.inMemoryBlocksApplied).to.equal(height);
    // Memory: the restarted gateway holding TOTAL attestations on disk is within 40 MB of the
    // gateway before they were loaded (the in-memory replica held them all in its heap).
    expect(metric(ready, 'process_resident_memory_bytes') - rssBefore).to.be.below(40 * MB);
  });
});
