import type { Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { percentile, round, type BenchReport } from './benchReport';
import { openLoopStep, type OpenLoopStep } from './openLoop';

const RATES = (process.env.KYC_BENCH_SAT_RATES ?? '20,40,60,80,100,120').split(',').map(Number).filter((r) => r > 0);
const STEP_SECONDS = Number(process.env.KYC_BENCH_SAT_SECONDS ?? 15);
/** Submits allowed to wait at once per kind; above it a due submit is dropped (see openLoopStep). */
// 300: well above rate × latency below saturation (≈ 150 at 75 tx/s and 2 s), and short to drain after a saturated step.
const MAX_IN_FLIGHT = Number(process.env.KYC_BENCH_SAT_MAX_IN_FLIGHT ?? 300);
/** gRPC connections per identity, used in turn, so no one HTTP/2 connection's stream limit caps the rate. */
const CONNECTIONS = Number(process.env.KYC_BENCH_SAT_CONNECTIONS ?? 4);
/** A step "sustains" its offered rate when this share of it commits with p99 at most SUSTAINED_P99_MS. */
const SUSTAINED_SHARE = 0.95;
const SUSTAINED_P99_MS = 2000;
/** The bare put's value: about the size of Caliper's bare-put workload (600 bytes). */
const PUT_VALUE = 'v'.repeat(600);

const SUBJECT_KEYS = 64;

type Kind = 'bareput' | 'attestation';

/** Whether a step committed what was offered, soon enough. */
function sustained(step: OpenLoopStep): boolean {
  return step.committed >= SUSTAINED_SHARE * step.offered * step.seconds && percentile(step.latencies, 99) <= SUSTAINED_P99_MS;
}

function describe(step: OpenLoopStep): string {
  const lost = step.dropped + step.failed > 0 ? ` (${step.dropped} dropped, ${step.failed} failed${step.firstError ? `: ${step.firstError.slice(0, 120)}` : ''})` : '';
  return `${step.offered}→${round(step.committedPerSecond)}${lost} p50 ${Math.round(percentile(step.latencies, 50))} p99 ${Math.round(percentile(step.latencies, 99))} ms`;
}

/**
 * Saturated submits: `attestation:register` and the bare `probe:put` offered open-loop at rising
 * rates, the two kinds alternating step by step so that drift (a growing ledger, other work on
 * the machine) weighs on both alike. Each kind's saturation throughput is the highest committed
 * rate of any of its steps; the figures' notes also give the highest offered rate it sustained.
 * The ramp ends early once neither kind's committed rate rises any more.
 */
export async function benchSaturation(report: BenchReport, network: Network): Promise<void> {
  const networkId = `${network.config.name}/${network.config.channel.name}`;
  const certifiers = Array.from({ length: CONNECTIONS }, () => connectAs(network, 'certifier1'));
  const admins = Array.from({ length: CONNECTIONS }, () => connectAs(network, 'certifier1', 'admin'));
  try {
    // Subjects' keys are reused (each request still commits to fresh salted fields, so every id is
    // new): generating a key costs more than signing, and the chaincode's work does not depend on it.
    const keys = Array.from({ length: SUBJECT_KEYS }, () => attestationRequest(networkId, { kind: 'secp256k1' }).key);
    // Signed just before each register step (not timed), so a ramp that stops early signs no more than it sends.
    const sign = (count: number) => Array.from({ length: count }, (_, i) => JSON.stringify(attestationRequest(networkId, { kind: 'secp256k1', key: keys[i % SUBJECT_KEYS] }).input));
    const steps: Record<Kind, OpenLoopStep[]> = { bareput: [], attestation: [] };
    const run = async (kind: Kind, rate: number) => {
      const requests = kind === 'attestation' ? sign(Math.round(rate * STEP_SECONDS)) : [];
      const step = await openLoopStep(rate, STEP_SECONDS, MAX_IN_FLIGHT, (i) => {
        const connection = i % CONNECTIONS;
        return kind === 'bareput'
          ? (admins[connection] as (typeof admins)[number]).contract.submitTransaction('probe:put', `sat-${rate}-${i}`, PUT_VALUE)
          : (certifiers[connection] as (typeof certifiers)[number]).contract.submitTransaction('attestation:register', requests[i] as string);
      });
      if (step.committed === 0) throw new Error(`saturation: no ${kind} committed at ${rate} tx/s: ${step.firstError ?? 'no error'}`);
      steps[kind].push(step);
      process.stderr.write(`  … ${kind} ${describe(step)}\n`);
    };
    // A kind is past saturation once its last step neither sustained its rate nor committed more
    // than 5% above its best earlier step; when both are, higher rates would only add backlog.
    const pastSaturation = (kind: Kind) => {
      const list = steps[kind];
      const last = list[list.length - 1];
      if (!last || list.length < 2 || sustained(last)) return false;
      return last.committedPerSecond <= 1.05 * Math.max(...list.slice(0, -1).map((s) => s.committedPerSecond));
    };
    for (const [i, rate] of RATES.entries()) {
      const order: Kind[] = i % 2 === 0 ? ['bareput', 'attestation'] : ['attestation', 'bareput'];
      for (const kind of order) await run(kind, rate);
      if (pastSaturation('bareput') && pastSaturation('attestation')) break;
    }

    const summary = (kind: Kind) => {
      const list = steps[kind];
      const best = list.reduce((a, b) => (b.committedPerSecond > a.committedPerSecond ? b : a));
      const kept = list.filter(sustained).map((s) => s.offered);
      return { best, sustainedRate: kept.length > 0 ? Math.max(...kept) : 0, table: list.map(describe).join('; ') };
    };
    const put = summary('bareput');
    const att = summary('attestation');
    const how = `open loop, ${STEP_SECONDS} s per step, offered ${steps.bareput.map((s) => s.offered).join('/')} tx/s (of ${RATES.join('/')}) alternating with the other kind, at most ${MAX_IN_FLIGHT} waiting over ${CONNECTIONS} connections; highest committed/s of any step (committed ÷ time to the last commit)`;
    report.add('submit.saturation.bareput.perSecond', {
      value: put.best.committedPerSecond,
      unit: 'tx/s',
      note: `probe:put of a 600-byte value, ${how}; sustained (≥ ${SUSTAINED_SHARE * 100}% committed, p99 ≤ ${SUSTAINED_P99_MS} ms) up to ${put.sustainedRate} tx/s; steps offered→committed/s: ${put.table}`,
    });
    report.add('submit.saturation.attestation.perSecond', {
      value: att.best.committedPerSecond,
      unit: 'tx/s',
      note: `attestation:register (secp256k1-signed requests), same steps; sustained up to ${att.sustainedRate} tx/s; steps: ${att.table}`,
    });
    report.add('submit.saturation.ratio', {
      value: att.best.committedPerSecond / put.best.committedPerSecond,
      unit: 'ratio',
      target: '>= 0.9',
      note: 'attestation:register ÷ probe:put saturation throughput',
    });
  } finally {
    for (const c of [...certifiers, ...admins]) c.close();
  }
}
