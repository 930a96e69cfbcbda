import { KycWorkload } from './caliperWorkload';

/**
 * One `attestation:register` per transaction, as certifier1's client user, each with a request
 * the subject signed beforehand (signing is not timed; each request registers once).
 */
class RegisterWorkload extends KycWorkload {
  submitTransaction(): Promise<unknown> {
    const index = this.nextIndex();
    const request = this.data.registerRequests[index];
    // Running out is a broken bench (a re-used request is refused as a duplicate, not measured).
    if (request === undefined) throw new Error(`register workload: no signed request ${index} (${this.data.registerRequests.length} written); raise KYC_CALIPER_REGISTER_SPARE or lower the rounds' txNumber`);
    return this.send('attestation:register', [request], { mspId: 'Certifier1MSP', identity: 'User1' }, false);
  }
}

export function createWorkloadModule(): RegisterWorkload {
  return new RegisterWorkload();
}
