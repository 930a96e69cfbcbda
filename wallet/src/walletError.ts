import { isBankSessionError, isCryptoError } from '@kyc-ledger/crypto';

/**
 * The wallet's own error codes. Errors from the crypto core (`INVALID_FIELD_VALUE`, …) and from
 * session verification (`SESSION_EXPIRED`, …) keep their codes when they pass through.
 */
export const WalletErrorCodes = {
  /** A missing or invalid argument or option (exit code 2). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The wallet is encrypted and no passphrase was given (exit code 2). */
  PASSPHRASE_REQUIRED: 'PASSPHRASE_REQUIRED',
  /** A new wallet's passphrase is shorter than 8 characters (exit code 2). */
  WEAK_PASSPHRASE: 'WEAK_PASSPHRASE',
  WALLET_NOT_FOUND: 'WALLET_NOT_FOUND',
  /** The file is not a wallet of a known format, or a record fails its integrity check. */
  WALLET_CORRUPT: 'WALLET_CORRUPT',
  /** The passphrase does not open this wallet. */
  BAD_PASSPHRASE: 'BAD_PASSPHRASE',
  /** The wallet file can be read by other users (like ssh, the wallet refuses it). */
  WALLET_INSECURE_PERMISSIONS: 'WALLET_INSECURE_PERMISSIONS',
  /** An insecure-plaintext wallet opened without --insecure-plaintext, or the other way round. */
  WALLET_MODE_MISMATCH: 'WALLET_MODE_MISMATCH',
  KEY_NOT_FOUND: 'KEY_NOT_FOUND',
  /** A key with this label or account is already in the wallet. */
  KEY_EXISTS: 'KEY_EXISTS',
  COMMITMENT_NOT_FOUND: 'COMMITMENT_NOT_FOUND',
  COMMITMENT_EXISTS: 'COMMITMENT_EXISTS',
  /** Consent needs the attestation id of the commitment (`attach`). */
  COMMITMENT_NOT_ATTACHED: 'COMMITMENT_NOT_ATTACHED',
  /** The session asks for a field the commitment does not hold. */
  FIELD_NOT_COMMITTED: 'FIELD_NOT_COMMITTED',
  /** The chosen key is not the attested subject of the commitment. */
  KEY_NOT_SUBJECT: 'KEY_NOT_SUBJECT',
  /** The session is for another network than the attestation. */
  NETWORK_MISMATCH: 'NETWORK_MISMATCH',
  /** The submit URL could not be reached. */
  SUBMIT_FAILED: 'SUBMIT_FAILED',
  /** The bank answered the submission with a non-2xx status. */
  SUBMIT_REJECTED: 'SUBMIT_REJECTED',
  /** The gateway could not be reached or gave no usable session certificate for the bank. */
  BANK_CERTIFICATE_UNAVAILABLE: 'BANK_CERTIFICATE_UNAVAILABLE',
  /** The bank has published no session certificate on the registry (404 from the gateway). */
  BANK_CERTIFICATE_NOT_PUBLISHED: 'BANK_CERTIFICATE_NOT_PUBLISHED',
  /** The published certificate chains to another CA than the one pinned for the bank (re-pin only after checking out of band). */
  BANK_PIN_MISMATCH: 'BANK_PIN_MISMATCH',
} as const;

/** One of {@link WalletErrorCodes}. */
export type WalletErrorCode = (typeof WalletErrorCodes)[keyof typeof WalletErrorCodes];

/** An error with a stable code, a message for people and JSON-safe details. */
export class WalletError extends Error {
  /** A {@link WalletErrorCode}, or a crypto / session code passed through. */
  readonly code: string;
  readonly details: unknown;

  constructor(code: WalletErrorCode | string, message: string, details?: unknown) {
    super(message);
    this.name = 'WalletError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is a {@link WalletError}, optionally with the given code. */
export function isWalletError(e: unknown, code?: string): e is WalletError {
  return e instanceof WalletError && (code === undefined || e.code === code);
}

/** Codes that mean "the command was called wrongly" (CLI exit code 2) rather than "it failed" (1). */
export const USAGE_ERROR_CODES: readonly string[] = [
  WalletErrorCodes.INVALID_ARGUMENT,
  WalletErrorCodes.PASSPHRASE_REQUIRED,
  WalletErrorCodes.WEAK_PASSPHRASE,
  'USAGE',
];

/** The coded form of any error: wallet, crypto and session errors keep their code; others are INTERNAL. */
export function toWalletError(e: unknown): WalletError {
  if (e instanceof WalletError) return e;
  if (isCryptoError(e) || isBankSessionError(e)) return new WalletError(e.code, e.message, e.details);
  return new WalletError('INTERNAL', e instanceof Error ? e.message : String(e));
}

/** Runs `fn`, turning crypto and session errors into {@link WalletError}s with the same code. */
export function coded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toWalletError(e);
  }
}
