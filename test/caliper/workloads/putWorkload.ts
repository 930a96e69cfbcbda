import { KycWorkload } from './caliperWorkload';

/** The bare-put value: 600 bytes, about the size of an attestation record. */
const VALUE = 'v'.repeat(600);

/**
 * The baseline: `probe:put` of a fresh key, submitted as certifier1's admin (only org admins may
 * write probe values), endorsed and committed like any submit.
 */
class PutWorkload extends KycWorkload {
  submitTransaction(): Promise<unknown> {
    const key = `cal-${this.data.runTag}-${this.roundIndex}-${this.nextIndex()}`;
    return this.send('probe:put', [key, VALUE], { mspId: 'Certifier1MSP', identity: 'Admin' }, false);
  }
}

export function createWorkloadModule(): PutWorkload {
  return new PutWorkload();
}
