import { Counter, Gauge, type Registry } from 'prom-client';
import type { AttestationView } from './attestationView';

/**
 * Exposes the bank's replica on /metrics. The values live in the view and are read at scrape
 * time, so the hot verification path does no metric bookkeeping of its own.
 */
export function registerViewMetrics(registry: Registry, view: AttestationView): void {
  new Gauge({
    name: 'kyc_gateway_replica_height',
    help: 'Blocks applied to the verification replica',
    registers: [registry],
    collect() {
      this.set(Number(view.height));
    },
  });
  new Gauge({
    name: 'kyc_gateway_replica_caught_up',
    help: '1 while verification reads are answered by the replica, 0 while they go to the peer',
    registers: [registry],
    collect() {
      this.set(view.caughtUp ? 1 : 0);
    },
  });
  new Gauge({
    name: 'kyc_gateway_replica_attestations',
    help: 'Attestations held by the verification replica',
    registers: [registry],
    collect() {
      this.set(view.size);
    },
  });
  new Counter({
    name: 'kyc_gateway_verification_reads_total',
    help: 'Attestation status reads for verification, by source (replica or peer)',
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
