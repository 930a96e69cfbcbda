/**
 * @packageDocumentation
 * The person's wallet of kyc-ledger: an encrypted keystore of signing keys and commitment
 * bundles, attestation requests for certifiers, and consent to banks' signed verification
 * sessions. The functions below mirror the `kyc-wallet` CLI commands (docs/wallet.md).
 */
import type { SignatureScheme } from '@kyc-ledger/crypto';
import type { AttestationRequestResult, CommitmentInfo, CommitResult, KeyInfo, OfficerApprovalResult, Wallet } from './wallet.js';

export * from './walletError.js';
export {
  defaultWalletPath,
  MIN_PASSPHRASE_LENGTH,
  SCRYPT_PARAMS,
  WALLET_FORMAT,
  WALLET_VERSION,
  type WalletFile,
  type KeyRecord,
  type CommitmentRecord,
  type RequestRecord,
} from './keystore.js';
export * from './wallet.js';
export * from './session.js';
export * from './sessionLink.js';
export * from './publishedBankTrust.js';
export * from './bankPins.js';

/** `keys generate`: a new key of `kind` stored in the wallet. */
export function createKey(wallet: Wallet, opts: { kind: string; chain?: string; label?: string }): Promise<KeyInfo> {
  return wallet.createKey(opts);
}

/** `keys import`: an existing 32-byte private key (hex) stored in the wallet. */
export function importKey(wallet: Wallet, opts: { kind: string; privateKey: string; chain?: string; label?: string }): Promise<KeyInfo> {
  return wallet.importKey(opts);
}

/** `keys list`. */
export function listKeys(wallet: Wallet): KeyInfo[] {
  return wallet.listKeys();
}

/** `commit`: canonicalise, salt and commit to field values; the bundle stays in the wallet. */
export function commit(wallet: Wallet, opts: { fields: Record<string, unknown>; label?: string }): Promise<CommitResult> {
  return wallet.commit(opts);
}

/** `request`: the signed attestation request a certifier registers. */
export function requestAttestation(
  wallet: Wallet,
  opts: { key: string; certifier: string; claimTopics: readonly string[]; network: string; commitment: string; scheme?: SignatureScheme },
): Promise<AttestationRequestResult> {
  return wallet.requestAttestation(opts);
}

/** `attach`: remember which attestation a commitment bundle belongs to. */
export function attachAttestation(wallet: Wallet, opts: { commitment: string; attestationId: string; key?: string; network?: string }): Promise<CommitmentInfo> {
  return wallet.attach(opts);
}

/** `sign-digest --purpose officer-approval`. */
export function signOfficerApproval(wallet: Wallet, opts: { key: string; asset: string; digest: string; network: string; scheme?: SignatureScheme }): OfficerApprovalResult {
  return wallet.signOfficerApproval(opts);
}
