import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { WalletError, WalletErrorCodes } from './walletError.js';

/** What the wallet pinned for one bank MSP: the CA its published session certificate chains to. */
export interface BankPin {
  caFingerprint256: string;
  caSubject: string;
  pinnedAt: string;
  /** The gateway the certificate was first fetched from (informational). */
  source: string;
}

const PinFileSchema = z.object({
  version: z.literal(1),
  banks: z.record(z.string(), z.object({ caFingerprint256: z.string(), caSubject: z.string(), pinnedAt: z.string(), source: z.string() })),
});

/** Bank pins by MSP ID. */
export type BankPins = Record<string, BankPin>;

/** The default pin file: `$KYC_WALLET_PINS`, else `~/.kyc-ledger/bank-pins.json`. */
export function defaultPinsPath(): string {
  return process.env.KYC_WALLET_PINS || path.join(os.homedir(), '.kyc-ledger', 'bank-pins.json');
}

/** Reads the pin file; a missing file is no pins yet. Throws INVALID_ARGUMENT for an unreadable one. */
export function readBankPins(file: string): BankPins {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new WalletError(WalletErrorCodes.INVALID_ARGUMENT, `cannot read the bank pin file ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = PinFileSchema.safeParse(parsed);
  if (!result.success) throw new WalletError(WalletErrorCodes.INVALID_ARGUMENT, `${file} is not a kyc-wallet bank pin file`);
  return result.data.banks;
}

/** Writes the pin file atomically, readable by its owner only. */
export function writeBankPins(file: string, banks: BankPins): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, banks }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
