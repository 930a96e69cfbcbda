import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { percentile, runPool, type BenchReport } from './benchReport';
import { benchSaturation } from './saturationBench';

const SINGLE_TXS = Number(process.env.KYC_BENCH_SINGLE ?? 800);
const ROUNDS = Number(process.env.KYC_BENCH_SINGLE_ROUNDS ?? 4);
const CONCURRENCY = Number(process.env.KYC_BENCH_CONCURRENCY ?? 32);
const BULK_TOTAL = Number(process.env.KYC_BENCH_BULK ?? 28_000);
const BULK_CHUNK = Number(process.env.KYC_BENCH_CHUNK ?? 500);
// Measured on the 2-core machine with DER-imported Ed25519 keys: 4 calls in flight took 71 s for 28,000,
// 8 took 61 s, 12 took 62 s. 8 stays the default.
const BULK_IN_FLIGHT = Number(process.env.KYC_BENCH_BULK_IN_FLIGHT ?? 8);
/** KYC_BENCH_SATURATION=0 skips the open-loop steps (e.g. while iterating on the bulk onboarding). */
const SATURATION = process.env.KYC_BENCH_SATURATION !== '0';

/**
 * Single-transaction submit throughput of `attestation:register` against the bare `probe:put` on
 * the same network in the same run, both straight through fabric-gateway: first closed loop (each
 * of a fixed number of submitters waits for its commit before the next), then open loop at rising
 * offered rates to saturation ({@link benchSaturation}); then bulk onboarding through the
 * certifier's REST gateway (KYC_BENCH_BULK=0 skips it).
 */
export async function benchLedger(report: BenchReport, network: Network, gateways: GatewayEndpoint[]): Promise<void> {
  const networkId = `${network.config.name}/${network.config.channel.name}`;
  const certifier = connectAs(network, 'certifier1');
  // The bare-put baseline: probe:put, which only an org admin may call (members' client identities
  // cannot write through it); same chaincode, same endorsement policy, same peers as the register.
  const certifierAdmin = connectAs(network, 'certifier1', 'admin');
  try {
    const progress = (label: string) => process.stderr.write(`  … ${label}\n`);
    progress(`signing ${SINGLE_TXS} attestation requests (not timed)`);
    const singles = Array.from({ length: SINGLE_TXS }, () => JSON.stringify(attestationRequest(networkId, { kind: 'secp256k1' }).input));
    // Warm up: chaincode launched and connections open on every endorser.
    await runPool(CONCURRENCY, CONCURRENCY, (i) => certifierAdmin.contract.submitTransaction('probe:put', `warm-${i}`, 'x'));

    // Alternating rounds (put, register, register, put, …) so that whatever drifts during the run
    // (a growing ledger, other work on the machine) weighs on both kinds alike.
    const perRound = Math.ceil(SINGLE_TXS / ROUNDS);
    const put = { seconds: 0, count: 0, latencies: [] as number[] };
    const att = { seconds: 0, count: 0, latencies: [] as number[] };
    const measure = async (into: typeof put, offset: number, size: number, submit: (i: number) => Promise<unknown>) => {
      const started = performance.now();
      into.latencies.push(...(await runPool(size, CONCURRENCY, (i) => submit(offset + i))));
      into.seconds += (performance.now() - started) / 1000;
      into.count += size;
    };
    for (let round = 0; round < ROUNDS; round++) {
      const offset = round * perRound;
      const size = Math.min(perRound, SINGLE_TXS - offset);
      if (size <= 0) break;
      const putRound = () => measure(put, offset, size, (i) => certifierAdmin.contract.submitTransaction('probe:put', `bench-${i}`, 'value'));
      const attRound = () => measure(att, offset, size, (i) => certifier.contract.submitTransaction('attestation:register', singles[i] as string));
      if (round % 2 === 0) {
        await putRound();
        await attRound();
      } else {
        await attRound();
        await putRound();
      }
    }
    const putRate = put.count / put.seconds;
    const attRate = att.count / att.seconds;
    const rounds = `${ROUNDS} alternating rounds of ${perRound}`;
    report.add('submit.bareput.perSecond', { value: putRate, unit: 'tx/s', note: `closed loop: ${CONCURRENCY} in flight, ${rounds}, p99 ${Math.round(percentile(put.latencies, 99))} ms` });
    report.add('submit.attestation.perSecond', { value: attRate, unit: 'tx/s', note: `closed loop, same rounds, p99 ${Math.round(percentile(att.latencies, 99))} ms` });
    report.add('submit.attestation.ratioToBarePut', { value: attRate / putRate, unit: 'ratio', target: '>= 0.9', note: 'closed loop (see submit.saturation.ratio for the saturated one)' });
    if (SATURATION) await benchSaturation(report, network);
    if (BULK_TOTAL <= 0) return;

    progress(`signing ${BULK_TOTAL} attestation requests for bulk onboarding (not timed)`);
    const chunks: string[] = [];
    for (let start = 0; start < BULK_TOTAL; start += BULK_CHUNK) {
      const size = Math.min(BULK_CHUNK, BULK_TOTAL - start);
      chunks.push(JSON.stringify({ items: Array.from({ length: size }, () => attestationRequest(networkId, { kind: 'ed25519' }).input) }));
    }
    const gateway = gateways.find((g) => g.org === 'certifier1');
    if (!gateway) throw new Error('no certifier gateway');
    const bulkStart = performance.now();
    let registered = 0;
    await runPool(chunks.length, BULK_IN_FLIGHT, async (i) => {
      const res = await fetch(`${gateway.url}/v1/attestations/bulk`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': gateway.apiKey }, body: chunks[i] as string });
      const body = (await res.json()) as { registered?: number };
      if (res.status !== 200) throw new Error(`bulk onboarding: ${res.status} ${JSON.stringify(body)}`);
      registered += body.registered ?? 0;
    });
    const bulkSeconds = (performance.now() - bulkStart) / 1000;
    if (registered !== BULK_TOTAL) throw new Error(`bulk onboarding registered ${registered} of ${BULK_TOTAL}`);
    report.add('onboarding.bulk.seconds', {
      value: bulkSeconds,
      unit: 's',
      target: BULK_TOTAL === 28_000 ? '<= 60' : undefined,
      note: `${BULK_TOTAL} attestations through the certifier's REST gateway (POST /v1/attestations/bulk, ${chunks.length} requests of ${BULK_CHUNK}, ${BULK_IN_FLIGHT} in flight) into committed blocks; ${Math.round(BULK_TOTAL / bulkSeconds)} attestations/s`,
    });
  } finally {
    certifier.close();
    certifierAdmin.close();
  }
}
