import { sha256 } from '@noble/hashes/sha2.js';
import {
  attestationIdOf,
  attestationRequestStatement,
  buildConsentStatement,
  commitFields,
  createDisclosure,
  generateKey,
  importKey as importCryptoKey,
  KEY_KINDS,
  KeyKinds,
  parseAccountId,
  Purposes,
  signStatement,
  sortedUnique,
  STATEMENT_DOMAIN,
  STATEMENT_VERSION,
  statementDigest,
  validateStatement,
  type BankSession,
  type Commitment,
  type Key,
  type KeyKind,
  type SignatureEnvelope,
  type SignatureScheme,
  type StatementOf,
  type WalletSubmission,
} from '@kyc-ledger/crypto';
import {
  defaultWalletPath,
  newProtection,
  openProtection,
  readWalletFile,
  recordAad,
  SecretBox,
  WALLET_FORMAT,
  WALLET_VERSION,
  writeWalletFile,
  type CommitmentRecord,
  type KeyRecord,
  type RequestRecord,
  type WalletFile,
} from './keystore.js';
import { coded, WalletError, WalletErrorCodes } from './walletError.js';

/** How to find and unlock a wallet. */
export interface OpenWalletOptions {
  /** Wallet file; default `KYC_WALLET`, else `~/.kyc-ledger/wallet.json`. */
  path?: string;
  /** Without it an encrypted wallet opens locked: it lists, but cannot sign or disclose. */
  passphrase?: string;
  /** Store secrets unencrypted. For tests only; a plaintext wallet only opens with this set. */
  insecurePlaintext?: boolean;
  /** Start a new, empty wallet when the file does not exist (it is written on the first change). */
  create?: boolean;
}

/** A key as listed: everything but the private key. */
export interface KeyInfo {
  label: string;
  kind: KeyKind;
  chain: string;
  accountId: string;
  publicKey: string;
  defaultScheme: SignatureScheme;
  createdAt: string;
}

/** A commitment bundle as listed: no values or salts. */
export interface CommitmentInfo {
  label: string;
  root: string;
  fieldNames: string[];
  createdAt: string;
  attestation?: { id: string; subject?: string; network?: string; attachedAt: string };
  requests: RequestRecord[];
}

/** Result of {@link Wallet.commit}: the root for the certifier and the leaves (no values, no salts). */
export interface CommitResult {
  label: string;
  root: string;
  fieldNames: string[];
  leaves: Record<string, string>;
}

/** What a certifier needs from the person to register an attestation (merges into AttestationInput). */
export interface AttestationRequest {
  subject: string;
  commitmentRoot: string;
  fieldNames: string[];
  claimTopics: string[];
  subjectSignature: SignatureEnvelope;
}

/** Result of {@link Wallet.requestAttestation}. */
export interface AttestationRequestResult {
  request: AttestationRequest;
  /** The signed `attestation-request` statement (the certifier's chaincode rebuilds the same one). */
  statement: StatementOf<'attestation-request'>;
  /** The id the attestation will have: sha256(JCS({certifier, subject, commitmentRoot})), hex. */
  attestationId: string;
}

/** Result of {@link Wallet.signOfficerApproval}. */
export interface OfficerApprovalResult {
  statement: StatementOf<'officer-approval'>;
  signature: SignatureEnvelope;
  /** SHA-256 of the statement's canonical bytes. */
  statementDigest: string;
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const NETWORK = /^[a-z0-9][a-z0-9._-]{0,63}(\/[a-z0-9][a-z0-9._-]{0,63})?$/;

function invalid(message: string, details?: unknown): WalletError {
  return new WalletError(WalletErrorCodes.INVALID_ARGUMENT, message, details);
}

function checkLabel(label: string, what: string): string {
  if (typeof label !== 'string' || !LABEL.test(label)) throw invalid(`${what} label must be 1-64 characters of [A-Za-z0-9._-], starting with a letter or digit`);
  return label;
}

function checkNetwork(network: string): string {
  if (typeof network !== 'string' || !NETWORK.test(network)) throw invalid('network must be a consortium channel id such as kyc-ledger/kyc');
  return network;
}

/** The attestation id the chaincode gives a registration (kept for callers of the wallet package). */
export const expectedAttestationId = attestationIdOf;

function isKeyKind(kind: string): kind is KeyKind {
  return (KeyKinds as readonly string[]).includes(kind);
}

function keyInfo(r: KeyRecord): KeyInfo {
  const kind = r.kind as KeyKind;
  return { label: r.label, kind, chain: r.chain, accountId: r.accountId, publicKey: r.publicKey, defaultScheme: KEY_KINDS[kind].defaultScheme, createdAt: r.createdAt };
}

function commitmentInfo(r: CommitmentRecord): CommitmentInfo {
  const info: CommitmentInfo = { label: r.label, root: r.root, fieldNames: [...r.fieldNames], createdAt: r.createdAt, requests: r.requests.map((q) => ({ ...q })) };
  if (r.attestation) info.attestation = { ...r.attestation };
  return info;
}

/**
 * An open wallet. Listing works locked; signing, committing and disclosing need the passphrase
 * (or an insecure-plaintext wallet). Every change is written to the file at once.
 */
export class Wallet {
  readonly path: string;
  #file: WalletFile;
  readonly #box: SecretBox;

  /** Use {@link openWallet}. */
  constructor(file: string, content: WalletFile, box: SecretBox) {
    this.path = file;
    this.#file = content;
    this.#box = box;
  }

  /** False only for an insecure-plaintext wallet. */
  get encrypted(): boolean {
    return this.#file.protection.mode !== 'insecure-plaintext';
  }

  /** True when secrets can be used (passphrase given, or plaintext). */
  get unlocked(): boolean {
    return this.#box.canOpen;
  }

  listKeys(): KeyInfo[] {
    return this.#file.keys.map(keyInfo);
  }

  listCommitments(): CommitmentInfo[] {
    return this.#file.commitments.map(commitmentInfo);
  }

  #keyRecord(ref: string): KeyRecord {
    if (typeof ref !== 'string' || ref === '') throw invalid('a key (label or account id) is required');
    const byLabel = this.#file.keys.find((k) => k.label === ref);
    if (byLabel) return byLabel;
    let normalised = ref;
    try {
      normalised = parseAccountId(ref).accountId;
    } catch {
      // not an account id: only labels could match, and none did
    }
    const byAccount = this.#file.keys.find((k) => k.accountId === normalised);
    if (!byAccount) throw new WalletError(WalletErrorCodes.KEY_NOT_FOUND, `no key ${ref} in the wallet`);
    return byAccount;
  }

  /** A key's public information, found by label or account id. Throws KEY_NOT_FOUND. */
  findKey(ref: string): KeyInfo {
    return keyInfo(this.#keyRecord(ref));
  }

  #commitmentRecord(label: string): CommitmentRecord {
    if (typeof label !== 'string' || label === '') throw invalid('a commitment label is required');
    const found = this.#file.commitments.find((c) => c.label === label);
    if (!found) throw new WalletError(WalletErrorCodes.COMMITMENT_NOT_FOUND, `no commitment ${label} in the wallet`);
    return found;
  }

  findCommitment(label: string): CommitmentInfo {
    return commitmentInfo(this.#commitmentRecord(label));
  }

  /** The private key of a record, checked against its public part. */
  #secretKey(record: KeyRecord): Key {
    const secret = this.#box.open<{ privateKey?: unknown }>(record.secret, recordAad('key', record), `key ${record.label}`);
    if (!isKeyKind(record.kind) || typeof secret?.privateKey !== 'string') throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `key ${record.label} is damaged`);
    const key = coded(() => importCryptoKey(record.kind as KeyKind, secret.privateKey as string, { chain: record.chain }));
    if (key.accountId !== record.accountId || key.publicKey !== record.publicKey) {
      throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `key ${record.label} does not match its account`);
    }
    return key;
  }

  /** The commitment (values and salts) of a record, checked against its root. */
  #secretCommitment(record: CommitmentRecord): Commitment {
    const secret = this.#box.open<{ values?: Record<string, string>; salts?: Record<string, string> }>(record.secret, recordAad('commitment', record), `commitment ${record.label}`);
    let commitment: Commitment;
    try {
      commitment = commitFields(secret?.values ?? {}, secret?.salts ?? {});
    } catch {
      throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `commitment ${record.label} is damaged`);
    }
    if (commitment.root !== record.root) throw new WalletError(WalletErrorCodes.WALLET_CORRUPT, `commitment ${record.label} does not hash to its root`);
    return commitment;
  }

  async #save(): Promise<void> {
    await writeWalletFile(this.path, this.#file);
  }

  async #addKey(key: Key, label: string | undefined): Promise<KeyInfo> {
    this.#box.requireUnlocked();
    const chosen = label === undefined ? this.#defaultLabel(key.kind) : checkLabel(label, 'key');
    if (this.#file.keys.some((k) => k.label === chosen)) throw new WalletError(WalletErrorCodes.KEY_EXISTS, `a key labelled ${chosen} exists`);
    const existing = this.#file.keys.find((k) => k.accountId === key.accountId);
    if (existing) throw new WalletError(WalletErrorCodes.KEY_EXISTS, `account ${key.accountId} is already in the wallet as ${existing.label}`);
    const record: KeyRecord = {
      label: chosen,
      kind: key.kind,
      chain: parseAccountId(key.accountId).chainId,
      accountId: key.accountId,
      publicKey: key.publicKey,
      createdAt: new Date().toISOString(),
      secret: { plaintext: null },
    };
    record.secret = this.#box.seal({ privateKey: key.privateKey }, recordAad('key', record));
    this.#file.keys.push(record);
    await this.#save();
    return keyInfo(record);
  }

  #defaultLabel(kind: string): string {
    for (let n = 1; ; n++) {
      const label = `${kind}-${n}`;
      if (!this.#file.keys.some((k) => k.label === label)) return label;
    }
  }

  /** Generates a key of `kind` (on `chain`, default per kind) and stores it. */
  async createKey(opts: { kind: string; chain?: string; label?: string }): Promise<KeyInfo> {
    if (!isKeyKind(opts.kind)) throw invalid(`key kind must be one of ${KeyKinds.join(', ')}`, { supported: KeyKinds });
    const key = coded(() => generateKey(opts.kind as KeyKind, opts.chain === undefined ? {} : { chain: opts.chain }));
    return this.#addKey(key, opts.label);
  }

  /** Stores an existing 32-byte private key (hex) of `kind`. */
  async importKey(opts: { kind: string; privateKey: string; chain?: string; label?: string }): Promise<KeyInfo> {
    if (!isKeyKind(opts.kind)) throw invalid(`key kind must be one of ${KeyKinds.join(', ')}`, { supported: KeyKinds });
    if (typeof opts.privateKey !== 'string') throw invalid('the private key must be a hex string');
    const privateKey = opts.privateKey.trim();
    const key = coded(() => importCryptoKey(opts.kind as KeyKind, privateKey, opts.chain === undefined ? {} : { chain: opts.chain }));
    return this.#addKey(key, opts.label);
  }

  /**
   * Canonicalises and salts `fields` (one fresh 32-byte salt each), computes the root and stores
   * the canonical values and salts. Returns root and leaves; the values stay in the wallet.
   */
  async commit(opts: { fields: Record<string, unknown>; label?: string }): Promise<CommitResult> {
    const fields = opts.fields;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw invalid('fields must be a JSON object of field name to value');
    this.#box.requireUnlocked();
    const commitment = coded(() => commitFields(fields as Record<string, string>));
    const label = opts.label === undefined ? `c-${commitment.root.slice(0, 12)}` : checkLabel(opts.label, 'commitment');
    if (this.#file.commitments.some((c) => c.label === label)) throw new WalletError(WalletErrorCodes.COMMITMENT_EXISTS, `a commitment labelled ${label} exists`);
    const record: CommitmentRecord = {
      label,
      root: commitment.root,
      fieldNames: Object.keys(commitment.leaves).sort(),
      createdAt: new Date().toISOString(),
      requests: [],
      secret: { plaintext: null },
    };
    record.secret = this.#box.seal({ values: commitment.canonical, salts: commitment.salts }, recordAad('commitment', record));
    this.#file.commitments.push(record);
    await this.#save();
    return { label, root: commitment.root, fieldNames: record.fieldNames, leaves: commitment.leaves };
  }

  /** Re-seals a commitment record after its public part changed (the AAD covers it). */
  #reseal(record: CommitmentRecord, change: (r: CommitmentRecord) => void): void {
    const commitment = this.#secretCommitment(record);
    change(record);
    record.secret = this.#box.seal({ values: commitment.canonical, salts: commitment.salts }, recordAad('commitment', record));
  }

  /**
   * Signs the `attestation-request` statement "key holds this address and asks `certifier` to
   * attest these claim topics for this commitment root" and remembers the request (so `attach`
   * can recognise the attestation id).
   */
  async requestAttestation(opts: { key: string; certifier: string; claimTopics: readonly string[]; network: string; commitment: string; scheme?: SignatureScheme }): Promise<AttestationRequestResult> {
    const keyRecord = this.#keyRecord(opts.key);
    const record = this.#commitmentRecord(opts.commitment);
    const network = checkNetwork(opts.network);
    if (!Array.isArray(opts.claimTopics) || opts.claimTopics.length === 0) throw invalid('at least one claim topic is required');
    const key = this.#secretKey(keyRecord);
    const claimTopics = sortedUnique(opts.claimTopics);
    const statement = coded(() => attestationRequestStatement({ address: key.accountId, network, certifier: opts.certifier, claimTopics, commitmentRoot: record.root }));
    const subjectSignature = coded(() => signStatement(statement, key, opts.scheme ?? key.defaultScheme));
    const attestationId = expectedAttestationId(opts.certifier, key.accountId, record.root);
    this.#reseal(record, (r) => {
      r.requests = r.requests.filter((q) => q.attestationId !== attestationId);
      r.requests.push({ certifier: opts.certifier, subject: key.accountId, network, claimTopics, attestationId, requestedAt: new Date().toISOString() });
    });
    await this.#save();
    return {
      request: { subject: key.accountId, commitmentRoot: record.root, fieldNames: [...record.fieldNames], claimTopics, subjectSignature },
      statement,
      attestationId,
    };
  }

  /**
   * Records which attestation a commitment belongs to. When the id is one this wallet requested,
   * the subject key and network are taken from that request; `key` / `network` may name them
   * otherwise (and must agree with the request when both exist).
   */
  async attach(opts: { commitment: string; attestationId: string; key?: string; network?: string }): Promise<CommitmentInfo> {
    const record = this.#commitmentRecord(opts.commitment);
    if (typeof opts.attestationId !== 'string' || !ID.test(opts.attestationId)) throw invalid('attestation id must be 1-128 characters of [A-Za-z0-9._:-]');
    const request = record.requests.find((q) => q.attestationId === opts.attestationId);
    let subject = request?.subject;
    if (opts.key !== undefined) {
      const key = this.#keyRecord(opts.key);
      if (subject !== undefined && subject !== key.accountId) {
        throw new WalletError(WalletErrorCodes.KEY_NOT_SUBJECT, `attestation ${opts.attestationId} was requested for ${subject}, not ${key.accountId}`);
      }
      subject = key.accountId;
    }
    let network = request?.network;
    if (opts.network !== undefined) {
      checkNetwork(opts.network);
      if (network !== undefined && network !== opts.network) {
        throw new WalletError(WalletErrorCodes.NETWORK_MISMATCH, `attestation ${opts.attestationId} was requested on ${network}, not ${opts.network}`);
      }
      network = opts.network;
    }
    const attestation: NonNullable<CommitmentRecord['attestation']> = { id: opts.attestationId, attachedAt: new Date().toISOString() };
    if (subject !== undefined) attestation.subject = subject;
    if (network !== undefined) attestation.network = network;
    this.#reseal(record, (r) => {
      r.attestation = attestation;
    });
    await this.#save();
    return commitmentInfo(record);
  }

  /** The key that consents for a commitment: `keyRef`, else the attestation's subject. */
  #consentKey(record: CommitmentRecord, keyRef: string | undefined): KeyRecord {
    const subject = record.attestation?.subject;
    if (keyRef === undefined) {
      if (subject === undefined) throw invalid(`say which key consents (--key): commitment ${record.label} has no known subject`);
      return this.#keyRecord(subject);
    }
    const key = this.#keyRecord(keyRef);
    if (subject !== undefined && subject !== key.accountId) {
      throw new WalletError(WalletErrorCodes.KEY_NOT_SUBJECT, `the attestation of ${record.label} belongs to ${subject}, not to key ${keyRef}`);
    }
    return key;
  }

  /**
   * Builds the answer to an already verified session: the signed `consent` statement, the
   * disclosure of exactly the requested fields, and the bank's signed session itself. Does not check the session's signature or expiry
   * (see `consentToSession`, which does).
   */
  buildConsent(session: BankSession, opts: { commitment: string; key?: string; scheme?: SignatureScheme }): WalletSubmission {
    const record = this.#commitmentRecord(opts.commitment);
    const attestation = record.attestation;
    if (!attestation) {
      throw new WalletError(WalletErrorCodes.COMMITMENT_NOT_ATTACHED, `commitment ${record.label} has no attestation yet; run attach --commitment ${record.label} --attestation <id>`);
    }
    if (attestation.network !== undefined && attestation.network !== session.network) {
      throw new WalletError(WalletErrorCodes.NETWORK_MISMATCH, `the session is for ${session.network}, the attestation is on ${attestation.network}`);
    }
    const missing = session.fields.filter((f) => !record.fieldNames.includes(f));
    if (missing.length > 0) {
      throw new WalletError(WalletErrorCodes.FIELD_NOT_COMMITTED, `the bank asks for fields this commitment does not hold: ${missing.join(', ')}`, { missing });
    }
    const keyRecord = this.#consentKey(record, opts.key);
    const key = this.#secretKey(keyRecord);
    const commitment = this.#secretCommitment(record);
    const consent = coded(() => buildConsentStatement(session, { attestationId: attestation.id, address: key.accountId }));
    const signature = coded(() => signStatement(consent, key, opts.scheme ?? key.defaultScheme));
    const disclosure = coded(() => createDisclosure(commitment, session.fields));
    // The signed session goes back with the consent, so any instance of the bank's gateway can take it.
    return { consent, signature, disclosure, session };
  }

  /**
   * Signs an `officer-approval` statement for a registration digest (a compliance officer's
   * offline key approving an investor-address registration of `asset`).
   */
  signOfficerApproval(opts: { key: string; asset: string; digest: string; network: string; scheme?: SignatureScheme }): OfficerApprovalResult {
    const keyRecord = this.#keyRecord(opts.key);
    const network = checkNetwork(opts.network);
    const digest = typeof opts.digest === 'string' ? opts.digest.replace(/^0x/, '').toLowerCase() : '';
    if (!/^[0-9a-f]{64}$/.test(digest)) throw invalid('digest must be 32 bytes of hex (64 digits, optionally 0x-prefixed)');
    const key = this.#secretKey(keyRecord);
    const statement = coded(() =>
      validateStatement({
        domain: STATEMENT_DOMAIN,
        version: STATEMENT_VERSION,
        purpose: Purposes.OFFICER_APPROVAL,
        network,
        chain: parseAccountId(key.accountId).chainId,
        address: key.accountId,
        asset: opts.asset,
        registrationDigest: digest,
      }),
    ) as StatementOf<'officer-approval'>;
    const signature = coded(() => signStatement(statement, key, opts.scheme ?? key.defaultScheme));
    return { statement, signature, statementDigest: statementDigest(statement) };
  }
}

/** The wallet file path from options, `KYC_WALLET`, or the default. */
export function resolveWalletPath(file?: string): string {
  return file ?? process.env.KYC_WALLET ?? defaultWalletPath();
}

/**
 * Opens (or, with `create`, starts) a wallet. Throws WALLET_NOT_FOUND, WALLET_CORRUPT,
 * WALLET_INSECURE_PERMISSIONS, WALLET_MODE_MISMATCH, BAD_PASSPHRASE, PASSPHRASE_REQUIRED /
 * WEAK_PASSPHRASE (new encrypted wallet).
 */
export async function openWallet(opts: OpenWalletOptions = {}): Promise<Wallet> {
  const file = resolveWalletPath(opts.path);
  const insecure = opts.insecurePlaintext === true;
  const existing = await readWalletFile(file);
  if (existing) return new Wallet(file, existing, await openProtection(existing.protection, opts.passphrase, insecure));
  if (!opts.create) throw new WalletError(WalletErrorCodes.WALLET_NOT_FOUND, `no wallet at ${file}; create one with keys generate`);
  const { protection, box } = await newProtection(opts.passphrase, insecure);
  return new Wallet(file, { format: WALLET_FORMAT, version: WALLET_VERSION, protection, keys: [], commitments: [] }, box);
}
