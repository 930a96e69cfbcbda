import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BankPin, PinStore } from './bankTrust';
import type { KdfParams, Sealed } from './passphraseBox';

/** The person's key and how their passphrase unlocks the rest. */
export interface IdentityRecord {
  /** Non-extractable ECDSA P-256 private key (IndexedDB stores CryptoKey objects as they are). */
  privateKey: CryptoKey;
  publicKey: string;
  accountId: string;
  createdAt: string;
  kdf: KdfParams;
  /** A known value sealed under the passphrase key: a wrong passphrase is told at unlock, not at first use. */
  check: Sealed;
}

interface WalletDb extends DBSchema {
  /** 'identity' → IdentityRecord; 'bundle' → the sealed {@link import('./walletSession').Bundle}. */
  wallet: { key: 'identity' | 'bundle'; value: IdentityRecord | Sealed };
  /** The CA pinned per bank MSP id (trust on first use). */
  pins: { key: string; value: BankPin };
}

/** IndexedDB database of the wallet page (per origin, so per gateway serving it). */
export const DB_NAME = 'kyc-ledger-wallet';

/** The wallet's storage: one IndexedDB database, nothing in localStorage or cookies. */
export class WalletStore implements PinStore {
  private constructor(private readonly db: IDBPDatabase<WalletDb>) {}

  static async open(): Promise<WalletStore> {
    const db = await openDB<WalletDb>(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore('wallet');
        database.createObjectStore('pins');
      },
    });
    return new WalletStore(db);
  }

  async identity(): Promise<IdentityRecord | undefined> {
    return (await this.db.get('wallet', 'identity')) as IdentityRecord | undefined;
  }

  async saveIdentity(record: IdentityRecord): Promise<void> {
    await this.db.put('wallet', record, 'identity');
  }

  async sealedBundle(): Promise<Sealed | undefined> {
    return (await this.db.get('wallet', 'bundle')) as Sealed | undefined;
  }

  async saveSealedBundle(sealed: Sealed): Promise<void> {
    await this.db.put('wallet', sealed, 'bundle');
  }

  async get(mspId: string): Promise<BankPin | undefined> {
    return this.db.get('pins', mspId);
  }

  async put(mspId: string, pin: BankPin): Promise<void> {
    await this.db.put('pins', pin, mspId);
  }

  /** Deletes everything: key, data and pins. */
  async erase(): Promise<void> {
    await this.db.clear('wallet');
    await this.db.clear('pins');
  }
}
