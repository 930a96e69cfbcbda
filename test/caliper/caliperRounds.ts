import path from 'node:path';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Caliper's rate controllers this bench uses: a fixed send rate, or a fixed number in flight (saturation). */
export type RateControl = { type: 'fixed-rate'; opts: { tps: number } } | { type: 'fixed-load'; opts: { transactionLoad: number } };

/** One round of Caliper's benchmark configuration (`test.rounds[]`). */
export interface CaliperRoundSpec {
  label: string;
  description: string;
  txNumber: number;
  rateControl: RateControl;
  workload: { module: string; arguments: { dataFile: string; offset?: number } };
}

/** Sizes of the rounds, each overridable from the environment for a quicker or longer run. */
export const ROUND_SIZES = {
  /** Transactions of each submit round (put and register, at a fixed rate and at a fixed load). */
  submits: env('KYC_CALIPER_SUBMITS', 600),
  /** The fixed send rate of the first pair of rounds: below saturation on the 2-core machine. */
  rate: env('KYC_CALIPER_RATE', 40),
  /** Transactions in flight in the fixed-load rounds (across all workers). */
  load: env('KYC_CALIPER_LOAD', 32),
  reads: env('KYC_CALIPER_READS', 2000),
  /** Signed register requests written beyond what the rounds use. */
  registerSpare: env('KYC_CALIPER_REGISTER_SPARE', 20),
};

/**
 * The rounds: the bare put and the single register at a fixed rate, then both at a fixed load
 * (their saturation throughput), then status reads and transfer checks at a fixed load. The
 * register rounds take disjoint slices of the signed requests.
 */
export function caliperRounds(workloadDir: string, dataFile: string): CaliperRoundSpec[] {
  const { submits, rate, load, reads } = ROUND_SIZES;
  const module = (name: string) => path.join(workloadDir, `${name}.js`);
  const fixedRate: RateControl = { type: 'fixed-rate', opts: { tps: rate } };
  const fixedLoad: RateControl = { type: 'fixed-load', opts: { transactionLoad: load } };
  return [
    { label: `probe:put @${rate}tps`, description: 'bare put (600-byte value), certifier1 admin, fixed rate', txNumber: submits, rateControl: fixedRate, workload: { module: module('putWorkload'), arguments: { dataFile } } },
    { label: `attestation:register @${rate}tps`, description: 'single register, signed request, certifier1 user, fixed rate', txNumber: submits, rateControl: fixedRate, workload: { module: module('registerWorkload'), arguments: { dataFile, offset: 0 } } },
    { label: `probe:put load ${load}`, description: 'bare put at a fixed load (saturation)', txNumber: submits, rateControl: fixedLoad, workload: { module: module('putWorkload'), arguments: { dataFile } } },
    { label: `attestation:register load ${load}`, description: 'single register at a fixed load (saturation)', txNumber: submits, rateControl: fixedLoad, workload: { module: module('registerWorkload'), arguments: { dataFile, offset: submits } } },
    { label: `attestation:status load ${load}`, description: 'status reads (evaluate), bank1 user', txNumber: reads, rateControl: fixedLoad, workload: { module: module('statusWorkload'), arguments: { dataFile } } },
    { label: `transfer:detect load ${load}`, description: 'ERC-1404 transfer checks (evaluate) on issuer1\'s peer', txNumber: reads, rateControl: fixedLoad, workload: { module: module('transferWorkload'), arguments: { dataFile } } },
  ];
}

/** Signed register requests the rounds use (both register rounds) plus the spare. */
export function registerRequestsNeeded(): number {
  return 2 * ROUND_SIZES.submits + ROUND_SIZES.registerSpare;
}
