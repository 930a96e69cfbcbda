/**
 * The wallet file: public metadata in the clear, every secret (private keys, field values and
 * salts) sealed with AES-256-GCM under a key derived from the passphrase with scrypt. Each
 * sealed secret is bound (GCM additional data) to its record's public part, so a record's
 * metadata cannot be edited or swapped with another record's without the passphrase.
 * Format: docs/wallet.md.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { canonicalize } from 'json-canonicalize';
import { z } from 'zod';
import { WalletError, WalletErrorCodes } from './walletError.js';

/** `format` of every wallet file. */
export const WALLET_FORMAT = 'kyc-ledger-wallet';
/** Current wallet file version. */
export const WALLET_VERSION = 1;
/** scrypt cost of new wallets (N = 2^15, r = 8, p = 1: 32 MiB, about 0.1-0.3 s). */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, dkLen: 32 } as const;
/** Shortest passphrase accepted for a new wallet. */
export const MIN_PASSPHRASE_LENGTH = 8;
/** Largest wallet file read. */
const MAX_WALLET_BYTES = 16 * 1024 * 1024;
const CHECK_PLAINTEXT = 'kyc-ledger-wallet/v1/check';

/** The default wallet file, `~/.kyc-ledger/wallet.json`. */
export function defaultWalletPath(): string {
  return path.join(os.homedir(), '.kyc-ledger', 'wallet.json');
}

// --- file schema ----------------------------------------------------------------------------

const B64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).max(64 * 1024 * 1024);
const SealedSchema = z.strictObject({ iv: B64, ciphertext: B64, tag: B64 });
/** A secret: sealed (AES-256-GCM) or, in an insecure-plaintext wallet only, as is. */
const SecretSchema = z.union([z.strictObject({ sealed: SealedSchema }), z.strictObject({ plaintext: z.unknown() })]);
const LABEL = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
const TIME = z.string().max(40);

const KeyRecordSchema = z.strictObject({
  label: LABEL,
  kind: z.string(),
  chain: z.string(),
  accountId: z.string(),
  publicKey: z.string(),
  createdAt: TIME,
  secret: SecretSchema,
});

const RequestRecordSchema = z.strictObject({
  certifier: z.string(),
  subject: z.string(),
  network: z.string(),
  claimTopics: z.array(z.string()),
  attestationId: z.string(),
  requestedAt: TIME,
});

const CommitmentRecordSchema = z.strictObject({
  label: LABEL,
  root: z.string().regex(/^[0-9a-f]{64}$/),
  fieldNames: z.array(z.string()),
  createdAt: TIME,
  requests: z.array(RequestRecordSchema),
  attestation: z
    .strictObject({ id: z.string(), subject: z.string().optional(), network: z.string().optional(), attachedAt: TIME })
    .optional(),
  secret: SecretSchema,
});

const ProtectionSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('scrypt-aes-256-gcm'),
    kdf: z.strictObject({
      name: z.literal('scrypt'),
      N: z.number().int().refine((n) => n >= 2 ** 14 && n <= 2 ** 20 && (n & (n - 1)) === 0, 'N must be a power of two from 2^14 to 2^20'),
      r: z.number().int().min(1).max(32),
      p: z.number().int().min(1).max(16),
      dkLen: z.literal(32),
      salt: B64,
    }),
    check: SealedSchema,
  }),
  z.strictObject({ mode: z.literal('insecure-plaintext') }),
]);

const WalletFileSchema = z.strictObject({
  format: z.literal(WALLET_FORMAT),
  version: z.literal(WALLET_VERSION),
  protection: ProtectionSchema,
  keys: z.array(KeyRecordSchema),
  commitments: z.array(CommitmentRecordSchema),
});

/** The JSON wallet file. */
export type WalletFile = z.infer<typeof WalletFileSchema>;
export type KeyRecord = z.infer<typeof KeyRecordSchema>;
export type CommitmentRecord = z.infer<typeof CommitmentRecordSchema>;
export type RequestRecord = z.infer<typeof RequestRecordSchema>;
export type Secret = z.infer<typeof SecretSchema>;
type Sealed = z.infer<typeof SealedSchema>;
type Protection = z.infer<typeof ProtectionSchema>;

// --- sealing ---------------------------------------------------------------------------------

/** Seals and opens secrets of one wallet; `key` is undefined for a locked or plaintext wallet. */
export class SecretBox {
  readonly #key: Buffer | undefined;
  readonly plaintext: boolean;

  private constructor(key: Buffer | undefined, plaintext: boolean) {
    this.#key = key;
    this.plaintext = plaintext;
  }

  /** A box for an insecure-plaintext wallet: secrets are stored as they are. */
  static insecurePlaintext(): SecretBox {
    return new SecretBox(undefined, true);
  }

  /** A box that can list but not open or seal (encrypted wallet, no passphrase given). */
  static locked(): SecretBox {
    return new SecretBox(undefined, false);
  }

  static withKey(key: Uint8Array): SecretBox {
    return new SecretBox(Buffer.from(key), false);
  }

  get canOpen(): boolean {
    return this.plaintext || this.#key !== undefined;
  }

  /** Throws PASSPHRASE_REQUIRED unless secrets can be sealed and opened. */
  requireUnlocked(): void {
    if (!this.plaintext) this.#requireKey();
  }

  #requireKey(): Buffer {
    if (!this.#key) throw new WalletError(WalletErrorCodes.PASSPHRASE_REQUIRED, 'this needs the wallet passphrase (KYC_WALLET_PASSPHRASE or --passphrase-file)');
    return this.#key;
  }

  /** Encrypts `value` (JSON) bound to `aad`. */
  seal(value: unknown, aad: string): Secret {
    if (this.plaintext) return { plaintext: value };
    const key = this.#requireKey();
    return { sealed: sealBytes(key, Buffer.from(JSON.stringify(value), 'utf8'), aad) };
  }

  /** Decrypts a secret sealed with {@link seal} under the same `aad`; WALLET_CORRUPT when it does not open. */
  open<T>(secret: Secret, aad: string, what: string): T {
    if (this.plaintext) {
      if (!('plaintext' in secret)) throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `${what} is sealed in a plaintext wallet`);
      return secret.plaintext as T;
    }
    const key = this.#requireKey();
    if (!('sealed' in secret)) throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `${what} is not encrypted in an encrypted wallet`);
    const bytes = openBytes(key, secret.sealed, aad);
    if (!bytes) throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `${what} does not decrypt: the record was modified`);
    return JSON.parse(bytes.toString('utf8')) as T;
  }
}

function sealBytes(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

function openBytes(key: Buffer, sealed: Sealed, aad: string): Buffer | undefined {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== 12 || tag.length !== 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** The additional data a record's secret is bound to: its type and canonical public part. */
export function recordAad(type: 'key' | 'commitment', record: Record<string, unknown>): string {
  const { secret: _secret, ...publicPart } = record;
  return `${WALLET_FORMAT}/v${WALLET_VERSION}/${type}/${canonicalize(publicPart)}`;
}

async function deriveKey(passphrase: string, kdf: { N: number; r: number; p: number; dkLen: number; salt: string }): Promise<Uint8Array> {
  // NFKC so the same passphrase typed on different keyboards / OSes gives the same bytes.
  return scryptAsync(passphrase.normalize('NFKC'), Buffer.from(kdf.salt, 'base64'), { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: kdf.dkLen });
}

/** Protection block and box of a brand-new wallet. */
export async function newProtection(passphrase: string | undefined, insecurePlaintext: boolean): Promise<{ protection: Protection; box: SecretBox }> {
  if (insecurePlaintext) return { protection: { mode: 'insecure-plaintext' }, box: SecretBox.insecurePlaintext() };
  if (passphrase === undefined || passphrase === '') {
    throw new WalletError(WalletErrorCodes.PASSPHRASE_REQUIRED, 'a new wallet needs a passphrase (KYC_WALLET_PASSPHRASE or --passphrase-file)');
  }
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new WalletError(WalletErrorCodes.WEAK_PASSPHRASE, `the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  const kdf = { name: 'scrypt' as const, ...SCRYPT_PARAMS, salt: randomBytes(16).toString('base64') };
  const key = Buffer.from(await deriveKey(passphrase, kdf));
  const check = sealBytes(key, Buffer.from(CHECK_PLAINTEXT, 'utf8'), CHECK_PLAINTEXT);
  return { protection: { mode: 'scrypt-aes-256-gcm', kdf, check }, box: SecretBox.withKey(key) };
}

/**
 * The box of an existing wallet: plaintext, locked (no passphrase) or unlocked. Throws
 * BAD_PASSPHRASE when the passphrase does not open the check value, WALLET_MODE_MISMATCH when
 * `insecurePlaintext` does not match the file.
 */
export async function openProtection(protection: Protection, passphrase: string | undefined, insecurePlaintext: boolean): Promise<SecretBox> {
  if (protection.mode === 'insecure-plaintext') {
    if (!insecurePlaintext) {
      throw new WalletError(WalletErrorCodes.WALLET_MODE_MISMATCH, 'this wallet is stored in insecure plaintext; open it with --insecure-plaintext (tests only)');
    }
    return SecretBox.insecurePlaintext();
  }
  if (insecurePlaintext) throw new WalletError(WalletErrorCodes.WALLET_MODE_MISMATCH, 'this wallet is encrypted; do not pass --insecure-plaintext');
  if (passphrase === undefined) return SecretBox.locked();
  const key = Buffer.from(await deriveKey(passphrase, protection.kdf));
  const check = openBytes(key, protection.check, CHECK_PLAINTEXT);
  if (!check || check.toString('utf8') !== CHECK_PLAINTEXT) throw new WalletError(WalletErrorCodes.BAD_PASSPHRASE, 'the passphrase does not open this wallet');
  return SecretBox.withKey(key);
}

// --- file I/O ----------------------------------------------------------------------------

/** Reads and checks a wallet file; undefined when it does not exist. */
export async function readWalletFile(file: string): Promise<WalletFile | undefined> {
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WalletError(WalletErrorCodes.WALLET_NOT_FOUND, `cannot read wallet ${file}: ${(e as Error).message}`);
  }
  if (!info.isFile()) throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `${file} is not a file`);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new WalletError(
      WalletErrorCodes.WALLET_INSECURE_PERMISSIONS,
      `wallet ${file} is accessible by other users (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it`,
      { mode: (info.mode & 0o777).toString(8) },
    );
  }
  if (info.size > MAX_WALLET_BYTES) throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `wallet ${file} is larger than ${MAX_WALLET_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `wallet ${file} is not JSON: ${(e as Error).message}`);
  }
  const parsed = WalletFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `wallet ${file} is not a ${WALLET_FORMAT} v${WALLET_VERSION} file`, { issues });
  }
  return parsed.data;
}

/**
 * Writes the wallet atomically: a new 0600 file next to it, fsync, rename over the old one. The
 * directory is created 0700 when missing. Readers never see a half-written wallet.
 */
export async function writeWalletFile(file: string, content: WalletFile): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await handle.close();
  // The umask can only remove bits, but be explicit in case the file system ignored the mode.
  if (process.platform !== 'win32') await chmod(tmp, 0o600);
  await rename(tmp, file);
}
