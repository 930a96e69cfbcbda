import { expect } from 'chai';
import { ChaincodeError } from '@kyc-ledger/chaincode';

/** The ChaincodeError a contract call rejects with; fails the test when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<ChaincodeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ChaincodeError);
    return error as ChaincodeError;
  }
  throw new Error('expected a rejection');
}
