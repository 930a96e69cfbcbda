import { KycWorkload } from './caliperWorkload';

/** `attestation:status` evaluated (no commit) by bank1's client user, round robin over registered attestations. */
class StatusWorkload extends KycWorkload {
  submitTransaction(): Promise<unknown> {
    const ids = this.data.attestationIds;
    const id = ids[this.nextIndex() % ids.length] as string;
    return this.send('attestation:status', [id, ''], { mspId: 'Bank1MSP', identity: 'User1' }, true);
  }
}

export function createWorkloadModule(): StatusWorkload {
  return new StatusWorkload();
}
