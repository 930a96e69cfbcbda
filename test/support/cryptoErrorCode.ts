import { expect } from 'chai';
import { CryptoError } from '@kyc-ledger/crypto';

/** The code of the CryptoError `fn` throws, or undefined when it does not throw. */
export function cryptoErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(CryptoError);
    return (e as CryptoError).code;
  }
  return undefined;
}
