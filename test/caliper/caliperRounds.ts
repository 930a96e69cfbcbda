import path from 'node:path';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * Caliper's rate controller this bench uses: a fixed send rate (open loop). Not `fixed-load`:
 * whenever the load exceeds its target, Caliper 0.6's controller sleeps the excess times the
 * average latency, long enough for most in flight to complete, and so keeps far fewer in flight
 * than asked (measured: the bare put at a load of 32 gave 25 TPS at 0.69 s average latency,
 * where 32 in flight would give about 46).
 */
export type RateControl = { type: 'fixed-rate'; opts: { tps: number } };

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
  /** Transactions of each submit round (put and register, below and above saturation). */
  submits: env('KYC_CALIPER_SUBMITS', 600),
  /** The send rate of the first pair of rounds: below saturation on the 2-core machine. */
  rate: env('KYC_CALIPER_RATE', 40),
  /**
   * The send rate of the saturation pair: above what the network commits (70–74 TPS for the bare
   * put on a quiet 2-core machine), so the throughput Caliper reports is the saturation throughput.
   */
  saturationRate: env('KYC_CALIPER_SATURATION_RATE', 150),
  reads: env('KYC_CALIPER_READS', 2000),
  /**
   * The send rate of the read rounds (evaluations, no commit). Not far above what the peer
   * answers: a backlog past the peer's Gateway concurrency limit (500, core.yaml
   * peer.limits.concurrency.gatewayService) is refused ("too many requests"); at 400 TPS on the
   * busy 2-core machine 778 of 2,000 transfer checks were.
   */
  readRate: env('KYC_CALIPER_READ_RATE', 150),
  /**
   * The send rate of the transfer checks, each far heavier than a status read: the bench's peer
   * path answers 147/s on a quiet machine (docs/performance.md), and at 150 TPS on the busy
   * machine 613 of 2,000 were refused past the peer Gateway's limit.
   */
  checkRate: env('KYC_CALIPER_CHECK_RATE', 100),
  checks: env('KYC_CALIPER_CHECKS', 1000),
  /** Signed register requests written beyond what the rounds use. */
  registerSpare: env('KYC_CALIPER_REGISTER_SPARE', 20),
};

/**
 * The rounds: the bare put and the single register at a rate below saturation, then both sent
 * faster than the network commits (their saturation throughput), then status reads and transfer
 * checks. The register rounds take disjoint slices of the signed requests.
 */
export function caliperRounds(workloadDir: string, dataFile: string): CaliperRoundSpec[] {
  const { submits, rate, saturationRate, reads, readRate, checkRate, checks } = ROUND_SIZES;
  const module = (name: string) => path.join(workloadDir, `${name}.js`);
  const fixedRate: RateControl = { type: 'fixed-rate', opts: { tps: rate } };
  const saturating: RateControl = { type: 'fixed-rate', opts: { tps: saturationRate } };
  const reading: RateControl = { type: 'fixed-rate', opts: { tps: readRate } };
  const checking: RateControl = { type: 'fixed-rate', opts: { tps: checkRate } };
  return [
    { label: `probe:put @${rate}tps`, description: 'bare put (600-byte value), certifier1 admin, fixed rate', txNumber: submits, rateControl: fixedRate, workload: { module: module('putWorkload'), arguments: { dataFile } } },
    { label: `attestation:register @${rate}tps`, description: 'single register, signed request, certifier1 user, fixed rate', txNumber: submits, rateControl: fixedRate, workload: { module: module('registerWorkload'), arguments: { dataFile, offset: 0 } } },
    { label: `probe:put @${saturationRate}tps`, description: 'bare put sent faster than it commits (saturation)', txNumber: submits, rateControl: saturating, workload: { module: module('putWorkload'), arguments: { dataFile } } },
    { label: `attestation:register @${saturationRate}tps`, description: 'single register sent faster than it commits (saturation)', txNumber: submits, rateControl: saturating, workload: { module: module('registerWorkload'), arguments: { dataFile, offset: submits } } },
    { label: `attestation:status @${readRate}tps`, description: 'status reads (evaluate), bank1 user', txNumber: reads, rateControl: reading, workload: { module: module('statusWorkload'), arguments: { dataFile } } },
    { label: `transfer:detect @${checkRate}tps`, description: 'ERC-1404 transfer checks (evaluate) on issuer1\'s peer', txNumber: checks, rateControl: checking, workload: { module: module('transferWorkload'), arguments: { dataFile } } },
  ];
}

/** Signed register requests the rounds use (both register rounds) plus the spare. */
export function registerRequestsNeeded(): number {
  return 2 * ROUND_SIZES.submits + ROUND_SIZES.registerSpare;
}
