import { hkdfSync } from 'node:crypto';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { bytesToHex } from 'viem';

// secp256k1's group order: a derived key must lie in [1, n-1].
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SALT = 'kyc-ledger/rpc-adapter/sync-account/v1';

/**
 * The EVM key the sync driver signs with on link `linkId`: HKDF-SHA256 of the adapter's master
 * secret with the link id as info. One key per link, so two links on one chain never share a
 * nonce sequence, and the key is the same after a restart without being stored anywhere.
 */
export function syncAccountOf(masterSecret: Uint8Array, linkId: string): PrivateKeyAccount {
  for (let attempt = 0; ; attempt += 1) {
    // A derived value ≥ the curve order (chance ~2^-128) is derived again with a counter.
    const info = attempt === 0 ? linkId : `${linkId}\u0000${attempt}`;
    const key = new Uint8Array(hkdfSync('sha256', masterSecret, SALT, info, 32));
    const scalar = BigInt(bytesToHex(key));
    if (scalar > 0n && scalar < CURVE_ORDER) return privateKeyToAccount(bytesToHex(key));
  }
}
