import { KycWorkload } from './caliperWorkload';

/**
 * ERC-1404 transfer checks: `transfer:detect` evaluated on issuer1's peer by its client user
 * (only the asset's issuer may ask), over a mix of allowed and restricted transfers.
 */
class TransferWorkload extends KycWorkload {
  submitTransaction(): Promise<unknown> {
    const checks = this.data.transferChecks;
    const check = checks[this.nextIndex() % checks.length] as string;
    return this.send('transfer:detect', [check], { mspId: 'Issuer1MSP', identity: 'User1' }, true);
  }
}

export function createWorkloadModule(): TransferWorkload {
  return new TransferWorkload();
}
