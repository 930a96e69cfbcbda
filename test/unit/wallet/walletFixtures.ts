import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Five identity fields of a test person. */
export const PERSON = {
  givenName: 'Anna',
  familyName: 'Müller',
  birthDate: '1990-04-12',
  nationality: 'CH',
  documentNumber: 'X1234567',
};

export const NETWORK = 'kyc-ledger/kyc';

/** A fresh temporary directory for one test's wallet files. */
export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'kyc-wallet-'));
}

/** Awaits `promise` and checks that it fails with a coded error `code`. */
export async function expectWalletError(promise: Promise<unknown>, code: string): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    expect((e as { code?: string }).code, (e as Error).message).to.equal(code);
    return e;
  }
  return expect.fail(`expected an error ${code}`);
}
