import http from 'node:http';
import path from 'node:path';
import { canonicalize } from 'json-canonicalize';
import { loadGatewayConfig, newFabricLedgerClient } from '@kyc-ledger/gateway';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { metric } from '../support/gatewayMetric';
import { postJson, setUpTransferAsset } from '../support/transferAssetFixture';
import { percentile, round, runPool, type BenchReport } from './benchReport';

const INVESTORS = Number(process.env.KYC_BENCH_INVESTORS ?? 40);
// Ten thousand: about eight seconds of sustained load. Measured on the 2-core machine, 4,000 timed
// checks gave 971–1,117/s over three runs and 10,000 gave 1,263 and 1,404/s on the same code.
const CHECKS = Number(process.env.KYC_BENCH_CHECKS ?? 10_000);
/** Checks sent before the timed ones, so the figure is the gateway's steady state, not its JIT warm-up. */
const WARMUP = Number(process.env.KYC_BENCH_CHECK_WARMUP ?? 1000);
const CONCURRENCY = 32;
const ASSET = 'BENCH-ASSET';

/**
 * A POST over a pool of kept-alive connections (node:http): a lighter load generator than
 * fetch, which on this two-core machine costs about as much CPU per request as the gateway's
 * answer and so would measure itself. KYC_BENCH_HTTP_CLIENT=fetch uses fetch instead.
 */
function keepAlivePoster(gateway: GatewayEndpoint, sockets: number): (route: string, body: unknown) => Promise<Record<string, unknown>> {
  if (process.env.KYC_BENCH_HTTP_CLIENT === 'fetch') return (route, body) => postJson(gateway, route, body);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL(gateway.url);
  return (route, body) => new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request({
      agent, host: url.hostname, port: url.port, path: route, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-api-key': gateway.apiKey },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${route}: ${res.statusCode} ${JSON.stringify(json)}`));
        else resolve(json);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Seconds until `ok()` holds, polling every 100 ms; throws after `limitMs`. */
async function waitFor(ok: () => Promise<boolean>, limitMs: number): Promise<number> {
  const start = performance.now();
  while (!(await ok())) {
    if (performance.now() - start > limitMs) throw new Error(`not reached within ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return (performance.now() - start) / 1000;
}

/**
 * ERC-1404 transfer checks through the issuer's gateway (`POST /v1/assets/:asset/transfer-checks`),
 * the headline figure: each gathers the facts (registrations, private investor records, holdings,
 * attestations, rule sets) and runs every banking and securities module, in the gateway against
 * its block-fed replica while that is caught up. Then the same checks on the peer path
 * (`transfer:detect` evaluated on issuer1's peer, in process, no HTTP), as while the replica is
 * behind.
 */
export async function benchTransferChecks(report: BenchReport, network: Network, gateways: GatewayEndpoint[]): Promise<void> {
  const issuer = gateways.find((g) => g.org === 'issuer1');
  if (!issuer) throw new Error('an issuer1 gateway is needed');
  process.stderr.write(`  … onboarding ${INVESTORS} investors (not timed)\n`);
  const { checkOf } = await setUpTransferAsset(network, gateways, ASSET, INVESTORS);

  const caughtUp = await waitFor(async () => (await metric(issuer, 'kyc_gateway_replica_caught_up')) === 1, 60_000);
  const sources = async () => ({
    replica: (await metric(issuer, 'kyc_gateway_transfer_checks_total', 'source="replica"')) ?? 0,
    peer: (await metric(issuer, 'kyc_gateway_transfer_checks_total', 'source="peer"')) ?? 0,
  });

  process.stderr.write(`  … ${WARMUP} transfer checks to warm up (not timed), then ${CHECKS} timed, through the gateway, ${CONCURRENCY} in flight\n`);
  const post = keepAlivePoster(issuer, CONCURRENCY);
  const client = process.env.KYC_BENCH_HTTP_CLIENT === 'fetch' ? 'fetch' : 'node:http keep-alive';
  await runPool(WARMUP, CONCURRENCY, (i) => post(`/v1/assets/${ASSET}/transfer-checks`, checkOf(CHECKS + i)));
  const before = await sources();
  const codes = new Map<number, number>();
  const started = performance.now();
  const latencies = await runPool(CHECKS, CONCURRENCY, async (i) => {
    const verdict = (await post(`/v1/assets/${ASSET}/transfer-checks`, checkOf(i))) as { code: number };
    codes.set(verdict.code, (codes.get(verdict.code) ?? 0) + 1);
  });
  const rate = CHECKS / ((performance.now() - started) / 1000);
  const after = await sources();
  const mix = [...codes.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}:${n}`).join(' ');
  const answered = `${after.replica - before.replica} by the replica / ${after.peer - before.peer} by the peer`;
  report.add('transfer.checks.perSecond', { value: rate, unit: 'checks/s', target: '>= 1000', note: `through issuer1's gateway (${answered}; replica caught up after ${round(caughtUp)} s), ${CONCURRENCY} in flight (${client} client) after ${WARMUP} untimed, ${INVESTORS} investors; verdict codes ${mix}` });
  report.add('transfer.checks.p99', { value: percentile(latencies, 99), unit: 'ms', note: `p50 ${round(percentile(latencies, 50))} ms` });

  const peerChecks = Math.min(CHECKS, Number(process.env.KYC_BENCH_PEER_CHECKS ?? 1000));
  process.stderr.write(`  … ${peerChecks} transfer checks on the peer (transfer:detect), ${CONCURRENCY} in flight\n`);
  const ledger = newFabricLedgerClient(loadGatewayConfig({ file: path.join(network.layout.root, 'gateways', 'issuer1.yaml'), env: {} }));
  try {
    const peerStarted = performance.now();
    const peerLatencies = await runPool(peerChecks, CONCURRENCY, async (i) => {
      await ledger.evaluate('transfer:detect', [canonicalize({ asset: ASSET, ...checkOf(i) })]);
    });
    report.add('transfer.checks.peer.perSecond', { value: peerChecks / ((performance.now() - peerStarted) / 1000), unit: 'checks/s', note: 'transfer:detect evaluated on issuer1\'s peer, in process (no HTTP): the path while the replica is behind' });
    report.add('transfer.checks.peer.p99', { value: percentile(peerLatencies, 99), unit: 'ms', note: `p50 ${round(percentile(peerLatencies, 50))} ms` });
  } finally {
    ledger.close();
  }
}
