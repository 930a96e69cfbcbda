import { buildConsentStatement, type BankSession, type WalletSubmission } from '@kyc-ledger/crypto/dist/bankSessionFormat.js';
import { commitFields } from '@kyc-ledger/crypto/dist/commitments.js';
import { createDisclosure } from '@kyc-ledger/crypto/dist/disclosure.js';
import { buildAttestationRequest, type AttestationRequestResult } from './attestationRequest';
import { deriveBoxKey, MIN_PASSPHRASE_LENGTH, newKdfParams, open, seal } from './passphraseBox';
import { createPasskey, signWithPasskey, type PasskeyIdentity, type SigningContext } from './passkeySigner';
import type { IdentityRecord, WalletStore } from './walletStore';

/** The person's committed data as it is kept, sealed: canonical values, salts, root, and the request made for them. */
export interface Bundle {
  values: Record<string, string>;
  salts: Record<string, string>;
  root: string;
  fieldNames: string[];
  request?: AttestationRequestResult;
  /** Set once the public status route showed the requested attestation valid (the CLI's `attach`). */
  attested?: { attestationId: string; certifier: string; seenAt: string };
}

/** Labels bound to each sealed value (AES-GCM additional data). */
const CHECK_LABEL = 'kyc-ledger-wallet:check:v1';
const BUNDLE_LABEL = 'kyc-ledger-wallet:bundle:v1';

/** A wallet error the page shows as it is. */
export class WalletPageError extends Error {
  override readonly name = 'WalletPageError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The wallet once the passphrase was given: the AES key lives only in this object (so only for
 * this visit); the private key is a non-extractable CryptoKey from IndexedDB.
 */
export class UnlockedWallet {
  #bundle: Bundle | undefined;

  private constructor(
    private readonly store: WalletStore,
    private readonly box: CryptoKey,
    readonly identity: PasskeyIdentity,
    bundle: Bundle | undefined,
    private readonly context: SigningContext,
  ) {
    this.#bundle = bundle;
  }

  /** A new wallet: key pair, passphrase parameters, nothing committed yet. */
  static async create(store: WalletStore, passphrase: string, context: SigningContext): Promise<UnlockedWallet> {
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new WalletPageError('WEAK_PASSPHRASE', `choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters`);
    const kdf = newKdfParams();
    const box = await deriveBoxKey(passphrase, kdf);
    const identity = await createPasskey();
    const record: IdentityRecord = { ...identity, createdAt: new Date().toISOString(), kdf, check: await seal(box, CHECK_LABEL, identity.accountId) };
    await store.saveIdentity(record);
    return new UnlockedWallet(store, box, identity, undefined, context);
  }

  /** Opens the stored wallet; throws BAD_PASSPHRASE. */
  static async unlock(store: WalletStore, record: IdentityRecord, passphrase: string, context: SigningContext): Promise<UnlockedWallet> {
    const box = await deriveBoxKey(passphrase, record.kdf);
    let checked: unknown;
    try {
      checked = await open(box, CHECK_LABEL, record.check);
    } catch {
      throw new WalletPageError('BAD_PASSPHRASE', 'That passphrase does not open this wallet.');
    }
    if (checked !== record.accountId) throw new WalletPageError('WALLET_CORRUPT', 'the stored wallet does not match its key');
    const sealed = await store.sealedBundle();
    const bundle = sealed ? await open<Bundle>(box, BUNDLE_LABEL, sealed) : undefined;
    return new UnlockedWallet(store, box, { privateKey: record.privateKey, publicKey: record.publicKey, accountId: record.accountId }, bundle, context);
  }

  get bundle(): Bundle | undefined {
    return this.#bundle;
  }

  async #save(bundle: Bundle): Promise<void> {
    await this.store.saveSealedBundle(await seal(this.box, BUNDLE_LABEL, bundle));
    this.#bundle = bundle;
  }

  /** Commits the field values (fresh salts; replaces what was committed before) and keeps them sealed. */
  async commit(fields: Record<string, string>): Promise<Bundle> {
    let commitment;
    try {
      commitment = commitFields(fields);
    } catch (e) {
      throw new WalletPageError((e as { code?: string }).code ?? 'INVALID_FIELDS', (e as Error).message);
    }
    const bundle: Bundle = { values: commitment.canonical, salts: commitment.salts, root: commitment.root, fieldNames: Object.keys(commitment.leaves).sort() };
    await this.#save(bundle);
    return bundle;
  }

  /** Signs the attestation request for the committed fields (as the Node wallet does) and remembers it. */
  async requestAttestation(opts: { certifier: string; network: string; claimTopics: readonly string[] }): Promise<AttestationRequestResult> {
    const bundle = this.#requireBundle();
    let result: AttestationRequestResult;
    try {
      result = await buildAttestationRequest({ accountId: this.identity.accountId, commitmentRoot: bundle.root, fieldNames: bundle.fieldNames, ...opts }, (statement) =>
        signWithPasskey(statement, this.identity, this.context),
      );
    } catch (e) {
      throw new WalletPageError((e as { code?: string }).code ?? 'INVALID_REQUEST', (e as Error).message);
    }
    const { attested: _previous, ...rest } = bundle;
    await this.#save({ ...rest, request: result });
    return result;
  }

  /** Records that the requested attestation is active, so sessions can be answered from it. */
  async markAttested(certifier: string): Promise<void> {
    const bundle = this.#requireBundle();
    if (!bundle.request || bundle.attested?.attestationId === bundle.request.attestationId) return;
    await this.#save({ ...bundle, attested: { attestationId: bundle.request.attestationId, certifier, seenAt: new Date().toISOString() } });
  }

  /** Why this wallet cannot answer `session`, or undefined when it can. */
  cannotAnswer(session: BankSession): string | undefined {
    const bundle = this.#bundle;
    if (!bundle?.request) return 'This wallet has no attestation yet.';
    if (bundle.attested?.attestationId !== bundle.request.attestationId) return 'Your attestation is not active yet: the certifier has not registered it.';
    if (bundle.request.network !== session.network) return `The bank asks on network ${session.network}; your attestation is on ${bundle.request.network}.`;
    const missing = session.fields.filter((f) => !bundle.fieldNames.includes(f));
    if (missing.length > 0) return `The bank asks for fields this wallet does not hold: ${missing.join(', ')}.`;
    return undefined;
  }

  /** The values that consenting to `session` would disclose. */
  disclosedValues(session: BankSession): Record<string, string> {
    const bundle = this.#requireBundle();
    return Object.fromEntries(session.fields.map((f) => [f, bundle.values[f] ?? '']));
  }

  /**
   * The answer to a verified session, exactly as the Node wallet's buildConsent: the consent
   * statement signed by the key, the disclosure of only the requested fields with their salts,
   * and the bank's signed session.
   */
  async consent(session: BankSession): Promise<WalletSubmission> {
    const problem = this.cannotAnswer(session);
    if (problem) throw new WalletPageError('CANNOT_ANSWER', problem);
    const bundle = this.#requireBundle();
    const commitment = commitFields(bundle.values, bundle.salts);
    if (commitment.root !== bundle.root) throw new WalletPageError('WALLET_CORRUPT', 'the stored values do not hash to their root');
    const consent = buildConsentStatement(session, { attestationId: (bundle.request as AttestationRequestResult).attestationId, address: this.identity.accountId });
    const signature = await signWithPasskey(consent, this.identity, this.context);
    return { consent, signature, disclosure: createDisclosure(commitment, session.fields), session };
  }

  #requireBundle(): Bundle {
    if (!this.#bundle) throw new WalletPageError('NOTHING_COMMITTED', 'enter your details first');
    return this.#bundle;
  }
}
