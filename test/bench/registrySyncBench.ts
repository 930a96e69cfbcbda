import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { ChangeTypes, type LedgerChange } from '@kyc-ledger/api';
import { approvalDigest } from '@kyc-ledger/chaincode';
import { generateKey, normaliseAccountId, type Key } from '@kyc-ledger/crypto';
import { createLedgerFollower, fabricBlockSource, type CommittedBlock, type FollowerBatch, type LedgerFollower } from '@kyc-ledger/follower';
import { chainClient, fundFromDevAccount, type GatewayEndpoint, type Network, type PrivateChainEndpoint } from '@kyc-ledger/network';
import {
  deployRegistryToken, evmAccountOf, EvmSyncDriver, kycRegistryTokenAbi, RegistryStore, registryTokenReader, SyncOutbox,
  type LevelDb, type OutboxEntry, type SyncDb,
} from '@kyc-ledger/rpc-adapter';
import { createWalletClient, http as viemHttp, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { attestationRequest } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { approve, investorRecord } from '../support/investorFixtures';
import { percentile, round, runPool, type BenchReport } from './benchReport';

const BURST = Number(process.env.KYC_BENCH_SYNC_BURST ?? 10_000);
const BURST_IN_FLIGHT = Number(process.env.KYC_BENCH_SYNC_IN_FLIGHT_HTTP ?? 256);
const PACED_RATE = Number(process.env.KYC_BENCH_SYNC_PACED_RATE ?? 100);
const PACED_SECONDS = Number(process.env.KYC_BENCH_SYNC_PACED_SECONDS ?? 20);
/**
 * The driver has no default: a link's `confirmations` 0 means 1 (docs/rpc-adapter.md, LinkChain),
 * so 1 (the transaction's own block) is what a link made without a choice gets.
 */
const CONFIRMATIONS = Number(process.env.KYC_BENCH_SYNC_CONFIRMATIONS ?? 1);
/** Driver options; unset keeps the driver's own defaults (batchSize 20, maxInFlight 16, pollIntervalMs 500). */
const DRIVER_BATCH = process.env.KYC_BENCH_SYNC_BATCH ? Number(process.env.KYC_BENCH_SYNC_BATCH) : undefined;
const DRIVER_IN_FLIGHT = process.env.KYC_BENCH_SYNC_TX_IN_FLIGHT ? Number(process.env.KYC_BENCH_SYNC_TX_IN_FLIGHT) : undefined;
const DRIVER_POLL_MS = process.env.KYC_BENCH_SYNC_POLL_MS ? Number(process.env.KYC_BENCH_SYNC_POLL_MS) : undefined;
const ASSET = 'SYNC-BENCH';
const CERTIFIER = 'Certifier1MSP';
const INVESTOR = 'sync-bench-investor';

interface Prepared {
  address: string;
  body: Record<string, unknown>;
}

/**
 * A POST on a fresh connection (node:http, no keep-alive), answering the JSON body: the setup's
 * long bulk calls must not reuse a socket the gateway is closing after its 5 s keep-alive timeout.
 */
function call(gateway: GatewayEndpoint, route: string, body: unknown): Promise<Record<string, unknown>> {
  const url = new URL(gateway.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      agent: false, host: url.hostname, port: url.port, path: route, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-api-key': gateway.apiKey },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${route}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text) as Record<string, unknown>);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** POSTs over kept-alive node:http connections: a light load generator (fetch costs about as much CPU as the gateway's answer). */
function poster(gateway: GatewayEndpoint, sockets: number): (route: string, body: unknown) => Promise<void> {
  // Idle sockets are dropped after 3 s, before the gateway's 5 s keep-alive timeout closes them
  // under a request (a phase's poster is made when the phase starts).
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, timeout: 3_000 });
  const url = new URL(gateway.url);
  return (route, body) => new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request({
      agent, host: url.hostname, port: url.port, path: route, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-api-key': gateway.apiKey },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ((res.statusCode ?? 500) >= 300 ? reject(new Error(`${route}: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`)) : resolve()));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Attests `count` secp256k1 (eip155) addresses through the certifier's bulk route; answers key and attestation id of each. */
async function attest(certifier: GatewayEndpoint, networkId: string, count: number): Promise<{ key: Key; attestationId: string }[]> {
  const chunks: { key: Key; input: Record<string, unknown> }[][] = [];
  for (let start = 0; start < count; start += 500) {
    chunks.push(Array.from({ length: Math.min(500, count - start) }, () => attestationRequest(networkId, { kind: 'secp256k1' })));
  }
  const out: { key: Key; attestationId: string }[][] = new Array(chunks.length);
  await runPool(chunks.length, 4, async (i) => {
    const chunk = chunks[i] as (typeof chunks)[number];
    const reply = await call(certifier, '/v1/attestations/bulk', { items: chunk.map((c) => c.input) });
    const ids = reply['ids'] as string[];
    out[i] = chunk.map((c, j) => ({ key: c.key, attestationId: ids[j] as string }));
  });
  return out.flat();
}

/** Waits until `ok()` holds, polling every 50 ms; throws after `limitMs`. */
async function waitFor(what: string, ok: () => boolean | Promise<boolean>, limitMs: number): Promise<void> {
  const start = performance.now();
  while (!(await ok())) {
    if (performance.now() - start > limitMs) throw new Error(`${what}: not reached within ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Registrations of one asset through issuer1's gateway and their sync to the issuer's EVM chain
 * (geth `issuer1-evm`, started by `up`), composed in this process from the merged parts: a ledger
 * follower (issuer1's client identity) feeding the adapter's RegistryStore in a temp classic-level
 * store, and an EvmSyncDriver to a KycRegistryToken for the asset. Each change is timed from the
 * moment the follower received the block holding it (Fabric commit) to the moment the driver
 * counted its range confirmed (EVM finality with N confirmations). A burst of BURST registrations
 * at BURST_IN_FLIGHT concurrent requests, then a paced run at PACED_RATE/s.
 */
export async function benchRegistrySync(report: BenchReport, network: Network, gateways: GatewayEndpoint[], chains: PrivateChainEndpoint[]): Promise<void> {
  const networkId = `${network.config.name}/${network.config.channel.name}`;
  const certifier = gateways.find((g) => g.org === 'certifier1');
  const issuer = gateways.find((g) => g.org === 'issuer1');
  const chain = chains.find((c) => c.org === 'issuer1');
  if (!certifier || !issuer) throw new Error('certifier1 and issuer1 gateways are needed');
  if (!chain) throw new Error('the issuer1 private chain (issuer1-evm) is needed');
  const pacedCount = Math.round(PACED_RATE * PACED_SECONDS);
  const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

  // --- setup, not timed ---
  progress(`asset ${ASSET} with a 1-of-1 officer set, one investor record, ${BURST + pacedCount} attested eip155 addresses (not timed)`);
  const officer = generateKey('ed25519');
  await call(issuer, '/v1/assets', { id: ASSET, name: 'Sync bench asset', officers: { accounts: [officer.accountId], threshold: 1 } });
  const { issuer: _issuer, ...record } = investorRecord(INVESTOR);
  void _issuer;
  await call(issuer, '/v1/investors', record);
  const attested = await attest(certifier, networkId, BURST + pacedCount);

  progress('signing every approval before timing (digest computed locally, checked against the gateway once)');
  const prepared: Prepared[] = attested.map(({ key, attestationId }) => {
    const address = normaliseAccountId(key.accountId);
    const digest = approvalDigest({ action: 'register', asset: ASSET, address, investor: INVESTOR, certifier: CERTIFIER, attestationId, nonce: 0 });
    return { address, body: { address, investor: INVESTOR, certifier: CERTIFIER, attestationId, approvals: [approve(officer, ASSET, digest, networkId)] } };
  });
  const first = prepared[0] as Prepared;
  const asked = await call(issuer, `/v1/assets/${ASSET}/approval-requests`, { action: 'register', address: first.address, investor: INVESTOR, certifier: CERTIFIER, attestationId: first.body['attestationId'] });
  const firstDigest = approvalDigest({ action: 'register', asset: ASSET, address: first.address, investor: INVESTOR, certifier: CERTIFIER, attestationId: first.body['attestationId'] as string, nonce: 0 });
  if (asked['digest'] !== firstDigest) throw new Error(`approval digest differs from the gateway's: ${String(asked['digest'])} vs ${firstDigest}`);

  progress(`KycRegistryToken for ${ASSET} on ${chain.id} (${chain.httpUrl}); sync key funded from the dev account`);
  const client = chainClient(chain.httpUrl);
  const signer = privateKeyToAccount(generatePrivateKey());
  await fundFromDevAccount(chain.httpUrl, signer.address, '1000');
  const wallet = createWalletClient({ transport: viemHttp(chain.httpUrl), account: signer });
  const contract = await deployRegistryToken(wallet, client, { asset: ASSET, name: ASSET, symbol: 'SYNC', owner: signer.address });
  await client.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: contract, abi: kycRegistryTokenAbi, functionName: 'setSyncAccount', args: [signer.address, true], chain: null }), pollingInterval: 200 });
  const token = registryTokenReader(client, contract);

  // --- the sync pipeline: follower → RegistryStore → EvmSyncDriver ---
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-sync-bench-'));
  const db = new ClassicLevel<string, string>(path.join(dir, 'adapter'), { valueEncoding: 'utf8' }) as unknown as LevelDb;
  const outboxDb = new ClassicLevel<string, string>(path.join(dir, 'outbox'));
  await db.open();
  const store = new RegistryStore(db);
  /** performance.now() when the follower received the block holding each sequence of the asset. */
  const committedAt = new Map<number, number>();
  /** performance.now() when the driver counted each sequence confirmed. */
  const finalAt = new Map<number, number>();
  const sink = {
    applyBlock: (block: CommittedBlock, batch: FollowerBatch) => {
      const now = performance.now();
      for (const event of block.events) {
        for (const change of event.changes as LedgerChange[]) {
          if (change.type === ChangeTypes.REGISTRY_CHANGED && change.asset === ASSET && !committedAt.has(change.seq)) committedAt.set(change.seq, now);
        }
      }
      return store.applyBlock(block, batch);
    },
  };
  /** The driver's own outbox; only `confirm` (where the checkpoint is raised) is observed. */
  class TimedOutbox extends SyncOutbox {
    override async confirm(entry: OutboxEntry, confirmedSeq: number): Promise<void> {
      await super.confirm(entry, confirmedSeq);
      const now = performance.now();
      for (let seq = entry.fromSeq; seq <= confirmedSeq; seq++) if (!finalAt.has(seq)) finalAt.set(seq, now);
    }
  }
  const fabric = connectAs(network, 'issuer1');
  let follower: LedgerFollower | undefined;
  let driver: EvmSyncDriver | undefined;
  const syncErrors: unknown[] = [];
  try {
    const channel = fabric.gateway.getNetwork(network.config.channel.name);
    follower = createLedgerFollower({ db, name: 'registry', source: fabricBlockSource(channel, { chaincode: network.config.chaincode.name }), sink, onError: (e) => syncErrors.push(e) });
    driver = new EvmSyncDriver({
      client, contract, asset: ASSET, signer, source: store, outbox: new TimedOutbox(outboxDb as unknown as SyncDb), confirmations: CONFIRMATIONS,
      ...(DRIVER_BATCH !== undefined && { batchSize: DRIVER_BATCH }),
      ...(DRIVER_IN_FLIGHT !== undefined && { maxInFlight: DRIVER_IN_FLIGHT }),
      ...(DRIVER_POLL_MS !== undefined && { pollIntervalMs: DRIVER_POLL_MS }),
    });
    driver.start();
    await waitFor('follower caught up', () => follower?.caughtUp === true, 120_000);
    const options = `batchSize ${DRIVER_BATCH ?? '20 (default)'}, maxInFlight ${DRIVER_IN_FLIGHT ?? '16 (default)'}, pollIntervalMs ${DRIVER_POLL_MS ?? '500 (default)'}, ${CONFIRMATIONS} confirmation(s)`;

    const registrar = (sockets: number) => {
      const post = poster(issuer, sockets);
      return (p: Prepared) => post(`/v1/assets/${ASSET}/registrations`, p.body);
    };
    const finalityOf = (from: number, to: number) => {
      const ms: number[] = [];
      for (let seq = from; seq <= to; seq++) ms.push((finalAt.get(seq) as number) - (committedAt.get(seq) as number));
      return ms;
    };
    const syncedTo = async (seq: number, limitMs: number) => waitFor(`sequence ${seq} confirmed on the EVM chain`, () => (finalAt.has(seq) && committedAt.has(seq)), limitMs);

    // --- burst ---
    progress(`burst: ${BURST} registrations through issuer1's gateway, ${BURST_IN_FLIGHT} in flight; sync driver ${options}`);
    const burstFrom = (await store.head(ASSET)) + 1;
    const register = registrar(BURST_IN_FLIGHT);
    const burstStart = performance.now();
    await runPool(BURST, BURST_IN_FLIGHT, (i) => register(prepared[i] as Prepared));
    const httpSeconds = (performance.now() - burstStart) / 1000;
    const burstTo = burstFrom + BURST - 1;
    await syncedTo(burstTo, Math.max(600_000, BURST * 100));
    const burstLast = performance.now();
    const burstMs = finalityOf(burstFrom, burstTo);
    const firstCommit = Math.min(...Array.from({ length: BURST }, (_, i) => committedAt.get(burstFrom + i) as number));
    const syncSeconds = (burstLast - burstStart) / 1000;
    report.add('registrySyncHttpRegistrationsPerSec', { value: BURST / httpSeconds, unit: 'registrations/s', note: `${BURST} POST /v1/assets/${ASSET}/registrations, ${BURST_IN_FLIGHT} in flight, each answered after its registration:batch committed; ${round(httpSeconds)} s` });
    report.add('registrySyncChangesPerSec', { value: BURST / syncSeconds, unit: 'changes/s', note: `${BURST} changes from the first request to the last confirmed on the EVM chain (${round(syncSeconds)} s; first Fabric commit after ${round((firstCommit - burstStart) / 1000)} s, EVM side finished ${round((burstLast - burstStart) / 1000 - httpSeconds)} s after the last HTTP answer); ${options}` });
    report.add('registrySyncFinalityP50Ms', { value: percentile(burstMs, 50), unit: 'ms', note: 'burst: Fabric commit (block received by the follower) → EVM finality (range counted confirmed by the driver)' });
    report.add('registrySyncFinalityP99Ms', { value: percentile(burstMs, 99), unit: 'ms', note: `burst; max ${round(Math.max(...burstMs))} ms` });

    // --- paced ---
    progress(`paced: ${pacedCount} registrations at ${PACED_RATE}/s for ${PACED_SECONDS} s`);
    const pacedFrom = burstTo + 1;
    const registerPaced = registrar(BURST_IN_FLIGHT);
    const pacedStart = performance.now();
    const interval = 1000 / PACED_RATE;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < pacedCount; i++) {
      const due = pacedStart + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      sends.push(registerPaced(prepared[BURST + i] as Prepared));
    }
    const sendSeconds = (performance.now() - pacedStart) / 1000;
    await Promise.all(sends);
    const pacedTo = pacedFrom + pacedCount - 1;
    await syncedTo(pacedTo, 600_000);
    const pacedMs = finalityOf(pacedFrom, pacedTo);
    const pacedNote = `${pacedCount} registrations sent at ${round(pacedCount / sendSeconds)}/s over ${round(sendSeconds)} s (open loop); ${options}`;
    report.add('registrySyncPaced100FinalityP50Ms', { value: percentile(pacedMs, 50), unit: 'ms', note: pacedNote });
    report.add('registrySyncPaced100FinalityP99Ms', { value: percentile(pacedMs, 99), unit: 'ms', target: '<= 3000', note: `max ${round(Math.max(...pacedMs))} ms` });

    // --- checks ---
    progress('checking the contract against the ledger');
    const ledgerPage = (await fetch(`${issuer.url}/v1/assets/${ASSET}/registry-changes?fromSeq=1&limit=1`, { headers: { 'x-api-key': issuer.apiKey } }).then((r) => r.json())) as { head: number };
    const applied = Number(await token.appliedSeq());
    if (applied !== ledgerPage.head) throw new Error(`contract appliedSeq ${applied} differs from the ledger head ${ledgerPage.head}`);
    let missing = 0;
    await runPool(prepared.length, 32, async (i) => {
      const account = evmAccountOf((prepared[i] as Prepared).address) as Address;
      if (!(await token.isAuthenticated(account))) missing++;
    });
    report.add('registrySyncMissing', { value: missing, unit: 'addresses', target: '0', note: `of ${prepared.length} registered addresses not authenticated on the contract; appliedSeq ${applied} = ledger head ${ledgerPage.head}; ${driver.status().rebroadcasts} rebroadcasts, ${syncErrors.length} follower errors` });
  } finally {
    await driver?.stop();
    await follower?.close();
    fabric.close();
    await outboxDb.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
