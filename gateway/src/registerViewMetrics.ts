import { Counter, Gauge, type Registry } from 'prom-client';
import type { AttestationView } from './attestationView';
import type { TransferCheckView } from './transferCheckView';

/** What every block-fed view of a gateway reports. */
interface ReplicaView {
  readonly height: bigint;
  readonly caughtUp: boolean;
  readonly counts: { replica: number; peer: number; streamErrors: number };
  /** Set for a replica kept in the gateway's store: the height it resumed from at start. */
  readonly resumedFrom?: bigint | undefined;
  /** Set for a replica kept in the gateway's store: blocks applied since start. */
  readonly blocksApplied?: number;
}

/**
 * The metrics every view has: height, caught up, reads by source (under `reads`) and stream
 * errors. A gateway has one role, so one view, and the replica metric names are shared. The
 * values live in the view and are read at scrape time, so the hot path does no metric
 * bookkeeping of its own.
 */
function registerReplicaMetrics(registry: Registry, view: ReplicaView, reads: { name: string; help: string }, purpose: string): void {
  new Gauge({
    name: 'kyc_gateway_replica_height',
    help: `Blocks applied to the ${purpose} replica`,
    registers: [registry],
    collect() {
      this.set(Number(view.height));
    },
  });
  new Gauge({
    name: 'kyc_gateway_replica_caught_up',
    help: `1 while ${purpose} reads are answered by the replica, 0 while they go to the peer`,
    registers: [registry],
    collect() {
      this.set(view.caughtUp ? 1 : 0);
    },
  });
  new Counter({
    name: reads.name,
    help: reads.help,
    labelNames: ['source'],
    registers: [registry],
    collect() {
      // Absolute counts kept by the view: reset, then set them as the counter's value.
      const { replica, peer } = view.counts;
      this.reset();
      this.inc({ source: 'replica' }, replica);
      this.inc({ source: 'peer' }, peer);
    },
  });
  if ('resumedFrom' in view) {
    new Gauge({
      name: 'kyc_gateway_replica_resumed_from',
      help: `The ${purpose} replica's height in the gateway's store at start: where it resumed following (0 for a new store)`,
      registers: [registry],
      collect() {
        this.set(Number(view.resumedFrom ?? 0n));
      },
    });
    new Counter({
      name: 'kyc_gateway_replica_blocks_applied_total',
      help: `Blocks applied to the ${purpose} replica since the gateway started`,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(view.blocksApplied ?? 0);
      },
    });
  }
  new Counter({
    name: 'kyc_gateway_replica_stream_errors_total',
    help: 'Times the replica\'s block stream broke and was reopened',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(view.counts.streamErrors);
    },
  });
}

/** Exposes the bank's verification replica on /metrics. */
export function registerViewMetrics(registry: Registry, view: AttestationView): void {
  registerReplicaMetrics(registry, view, { name: 'kyc_gateway_verification_reads_total', help: 'Attestation status reads for verification, by source (replica or peer)' }, 'verification');
  new Gauge({
    name: 'kyc_gateway_replica_attestations',
    help: 'Attestations held by the verification replica',
    registers: [registry],
    collect() {
      this.set(view.size);
    },
  });
}

/** Exposes the issuer's transfer-check replica on /metrics. */
export function registerTransferCheckMetrics(registry: Registry, view: TransferCheckView): void {
  registerReplicaMetrics(registry, view, { name: 'kyc_gateway_transfer_checks_total', help: 'Transfer checks (transfer:detect), by where they were answered (replica or peer)' }, 'transfer-check');
  new Gauge({
    name: 'kyc_gateway_replica_keys',
    help: 'Keys held by the transfer-check replica, public state and private data',
    labelNames: ['store'],
    registers: [registry],
    collect() {
      const size = view.size;
      this.set({ store: 'public' }, size.public);
      this.set({ store: 'private' }, size.private);
    },
  });
}
