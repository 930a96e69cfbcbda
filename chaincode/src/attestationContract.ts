import { createHash } from 'node:crypto';
import { normaliseAccountId, parseAccountId, Purposes, STATEMENT_DOMAIN, STATEMENT_VERSION, verifyStatementSignature, type SignatureEnvelope } from '@kyc-ledger/crypto';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  attestationInputSchema,
  bulkInputSchema,
  contentOf,
  idSchema,
  revocationReasonSchema,
  rotationInputSchema,
  timestampSchema,
  type Attestation,
  type AttestationInput,
} from './attestationModel';
import { accreditationProblem, evaluateStatus, scopeProblems } from './attestationStatus';
import { callerOf, type Caller } from './caller';
import type { Accreditation } from './registryModel';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { parseInput } from './parseInput';
import { getStates, WriteBatch } from './ledgerBatch';
import { checkRole, networkId, networkIdOf, readAccreditation, registryViewKeys, registryViewOf, requireRole, type RegistryView } from './registryContract';
import { emit, indexValue, parseJson, readIndex, readJson, stateKey, writeIndex, writeJson, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

/** The attestation id: a hash of who attested whom to what, so a resubmission finds its original. */
export function attestationId(certifier: string, subject: string, commitmentRoot: string): string {
  return createHash('sha256').update(canonicalJson({ certifier, subject, commitmentRoot })).digest('hex');
}

function normalisedSubject(subject: string, path: string): string {
  try {
    return normaliseAccountId(subject);
  } catch (error) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `invalid ${path}`, { problems: [`${path}: ${(error as Error).message}`] });
  }
}

interface BatchContext {
  caller: Caller;
  now: string;
  accreditation: Accreditation;
  network: string;
}

/**
 * One attestation to register, with what can be worked out before reading the ledger: its
 * normalised subject and id, or the error that stops it (thrown only when its turn comes, so the
 * first failing item is still the one reported).
 */
type Planned = { input: AttestationInput; path: string } & ({ ok: true; subject: string; id: string } | { ok: false; error: unknown });

function plan(caller: Caller, input: AttestationInput, path: string): Planned {
  try {
    const subject = normalisedSubject(input.subject, `${path}.subject`);
    return { input, path, ok: true, subject, id: attestationId(caller.mspId, subject, input.commitmentRoot) };
  } catch (error) {
    return { input, path, ok: false, error };
  }
}

function requireId(id: string): string {
  if (!idSchema.safeParse(id).success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid attestation id', { problems: ['id: must be 64 lower-case hex digits'] });
  return id;
}

/**
 * Identity attestations: per-field commitment roots bound to a person's address by the person's
 * own signature, registered by accredited certification bodies. No personal value is ever stored.
 */
@Info({ title: 'Attestation', description: 'Identity attestations (commitments only) by accredited certifiers' })
export class AttestationContract extends Contract {
  constructor() {
    super('attestation');
  }

  @Transaction()
  @Returns('string')
  async register(ctx: Context, input: string): Promise<string> {
    const caller = callerOf(ctx);
    // One message to the peer reads everything this needs; the checks then run in their usual
    // order (role, input, accreditation, then the attestation itself).
    let item: Planned | undefined;
    let invalid: unknown;
    try {
      item = plan(caller, parseInput(attestationInputSchema, input, 'attestation'), 'attestation');
    } catch (error) {
      invalid = error;
    }
    const keys = registryViewKeys(ctx, caller.mspId);
    if (item?.ok) keys.push(stateKey(ctx, ObjectTypes.ATTESTATION, item.id));
    const values = await getStates(ctx, keys);
    const view = registryViewOf(values);
    checkRole(caller, view.member, 'certifier');
    if (!item) throw invalid;
    const writes = new WriteBatch();
    const { attestation, unchanged, json } = this.#register(ctx, this.#batchContext(ctx, caller, view), item, values[3], writes);
    await writes.flush(ctx);
    if (!unchanged) emit(ctx, Events.ATTESTATION_REGISTERED, { id: attestation.id, subject: attestation.subject, certifier: attestation.certifier });
    // The stored bytes' text when it was just written: canonical JSON of the same object, made once.
    return json ?? canonicalJson(attestation);
  }

  /** Thousands per call; idempotent (an identical resubmission changes nothing); all or nothing. */
  @Transaction()
  @Returns('string')
  async registerBulk(ctx: Context, input: string): Promise<string> {
    const caller = callerOf(ctx);
    const view = registryViewOf(await getStates(ctx, registryViewKeys(ctx, caller.mspId)));
    checkRole(caller, view.member, 'certifier');
    const items = parseInput(bulkInputSchema, input, 'attestation list');
    const problems: string[] = [];
    const parsed: AttestationInput[] = [];
    items.forEach((item, i) => {
      const result = attestationInputSchema.safeParse(item);
      if (result.success) parsed.push(result.data);
      else problems.push(...result.error.issues.map((issue) => `[${i}].${issue.path.map(String).join('.')}: ${issue.message}`));
    });
    if (problems.length > 0) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid attestation list', { problems });
    const batch = this.#batchContext(ctx, caller, view);
    const planned = parsed.map((item, i) => plan(caller, item, `[${i}]`));
    // Every existing attestation in a few messages rather than one read per item.
    const found = await getStates(ctx, planned.flatMap((p) => (p.ok ? [stateKey(ctx, ObjectTypes.ATTESTATION, p.id)] : [])));
    let next = 0;
    const stored = planned.map((p) => (p.ok ? found[next++] : undefined));
    const writes = new WriteBatch();
    const ids: string[] = [];
    let registered = 0;
    for (const [i, item] of planned.entries()) {
      const { attestation, unchanged } = this.#register(ctx, batch, item, stored[i], writes);
      ids.push(attestation.id);
      if (!unchanged) registered++;
    }
    await writes.flush(ctx);
    const result = { registered, unchanged: parsed.length - registered, ids };
    if (registered > 0) emit(ctx, Events.ATTESTATIONS_REGISTERED, { certifier: caller.mspId, registered, ids });
    return canonicalJson(result);
  }

  @Transaction()
  @Returns('string')
  async revoke(ctx: Context, id: string, reason: string): Promise<string> {
    const attestation = await this.#own(ctx, id);
    const why = revocationReasonSchema.safeParse(reason);
    if (!why.success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid revocation reason', { problems: [`reason: ${why.error.issues[0]?.message}`] });
    if (attestation.status === 'revoked') throw new ChaincodeError(ErrorCodes.ATTESTATION_NOT_ACTIVE, `attestation ${id} is already revoked`);
    const now = txTimeIso(ctx);
    const revoked: Attestation = { ...attestation, status: 'revoked', revocation: { reason: why.data, at: now }, updatedAt: now };
    if (why.data === 'ERASED' && attestation.duplicateMarker) {
      // Erasure: nothing may link this root to a person any more, not even the duplicate marker.
      await ctx.stub.deleteState(stateKey(ctx, ObjectTypes.ATTESTATION_BY_DUPLICATE, attestation.duplicateMarker, id));
      delete revoked.duplicateMarker;
    }
    await writeJson(ctx, revoked, ObjectTypes.ATTESTATION, id);
    emit(ctx, Events.ATTESTATION_REVOKED, { id, reason: why.data });
    return canonicalJson(revoked);
  }

  @Transaction()
  @Returns('string')
  async renew(ctx: Context, id: string, expiresAt: string): Promise<string> {
    const attestation = await this.#own(ctx, id);
    const now = txTimeIso(ctx);
    if (!timestampSchema.safeParse(expiresAt).success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid expiresAt', { problems: ['expiresAt: must be a UTC timestamp'] });
    if (expiresAt <= now) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'expiresAt must be after the transaction time', { problems: [`expiresAt: ${expiresAt} is not after ${now}`] });
    if (attestation.status !== 'active') throw new ChaincodeError(ErrorCodes.ATTESTATION_NOT_ACTIVE, `attestation ${id} is ${attestation.status}`);
    await this.#requireAccredited(ctx, attestation.certifier, attestation, now);
    const renewed: Attestation = { ...attestation, expiresAt, updatedAt: now };
    await writeJson(ctx, renewed, ObjectTypes.ATTESTATION, id);
    emit(ctx, Events.ATTESTATION_RENEWED, { id, expiresAt });
    return canonicalJson(renewed);
  }

  /** Moves an attestation to the subject's new key; both the old and the new key must sign. */
  @Transaction()
  @Returns('string')
  async rotate(ctx: Context, id: string, input: string): Promise<string> {
    const old = await this.#own(ctx, id);
    const rotation = parseInput(rotationInputSchema, input, 'rotation');
    const newSubject = normalisedSubject(rotation.newSubject, 'newSubject');
    if (newSubject === old.subject) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'the new subject is the old one', { problems: ['newSubject: same as the current subject'] });
    if (old.status !== 'active') throw new ChaincodeError(ErrorCodes.ATTESTATION_NOT_ACTIVE, `attestation ${id} is ${old.status}`);
    const now = txTimeIso(ctx);
    await this.#requireAccredited(ctx, old.certifier, old, now);
    const network = await networkId(ctx);
    for (const [signer, signature] of [[old.subject, rotation.oldKeySignature], [newSubject, rotation.newKeySignature]] as const) {
      this.#verify({
        domain: STATEMENT_DOMAIN, version: STATEMENT_VERSION, purpose: Purposes.KEY_ROTATION, network,
        chain: parseAccountId(signer).chainId, address: signer, oldAddress: old.subject, newAddress: newSubject, attestationId: id,
      }, signature, network, signer === old.subject ? 'oldKeySignature' : 'newKeySignature');
    }
    const newId = attestationId(old.certifier, newSubject, old.commitmentRoot);
    if (await readJson<Attestation>(ctx, ObjectTypes.ATTESTATION, newId)) throw new ChaincodeError(ErrorCodes.CONFLICT, `attestation ${newId} exists already`);
    const rotated: Attestation = {
      ...old,
      id: newId,
      subject: newSubject,
      rotatedFrom: { id, oldKeySignature: rotation.oldKeySignature as SignatureEnvelope, newKeySignature: rotation.newKeySignature as SignatureEnvelope },
      issuedAt: now,
      updatedAt: now,
    };
    await writeJson(ctx, rotated, ObjectTypes.ATTESTATION, newId);
    await writeIndex(ctx, ObjectTypes.ATTESTATION_BY_SUBJECT, newSubject, newId);
    if (rotated.duplicateMarker) await writeIndex(ctx, ObjectTypes.ATTESTATION_BY_DUPLICATE, rotated.duplicateMarker, newId);
    await writeJson(ctx, { ...old, status: 'superseded', supersededBy: newId, updatedAt: now } satisfies Attestation, ObjectTypes.ATTESTATION, id);
    emit(ctx, Events.ATTESTATION_ROTATED, { id, newId, newSubject });
    return canonicalJson(rotated);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, id: string): Promise<string> {
    return canonicalJson(await this.#read(ctx, id));
  }

  @Transaction(false)
  @Returns('string')
  async listBySubject(ctx: Context, subject: string): Promise<string> {
    const normalised = normalisedSubject(subject, 'subject');
    const ids = await readIndex(ctx, ObjectTypes.ATTESTATION_BY_SUBJECT, normalised);
    const list = await Promise.all(ids.map((id) => this.#read(ctx, id)));
    return canonicalJson(list);
  }

  /** Ids of attestations carrying the same duplicate marker (the same person under another address). */
  @Transaction(false)
  @Returns('string')
  async findDuplicates(ctx: Context, marker: string): Promise<string> {
    await requireRole(ctx, 'certifier');
    if (!idSchema.safeParse(marker).success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid duplicate marker', { problems: ['marker: must be 64 lower-case hex digits'] });
    return canonicalJson(await readIndex(ctx, ObjectTypes.ATTESTATION_BY_DUPLICATE, marker));
  }

  /** The attestation's standing at `at` (default: the transaction time), with every failing reason. */
  @Transaction(false)
  @Returns('string')
  async status(ctx: Context, id: string, at: string): Promise<string> {
    const when = at ? at : txTimeIso(ctx);
    if (!timestampSchema.safeParse(when).success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid time', { problems: ['at: must be a UTC timestamp'] });
    const attestation = await this.#read(ctx, id);
    return canonicalJson(evaluateStatus(attestation, await readAccreditation(ctx, attestation.certifier), when));
  }

  async #read(ctx: Context, id: string): Promise<Attestation> {
    const attestation = await readJson<Attestation>(ctx, ObjectTypes.ATTESTATION, requireId(id));
    if (!attestation) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no attestation ${id}`, { id });
    return attestation;
  }

  /** An attestation the calling certifier issued. */
  async #own(ctx: Context, id: string): Promise<Attestation> {
    const caller = await requireRole(ctx, 'certifier');
    const attestation = await this.#read(ctx, id);
    if (attestation.certifier !== caller.mspId) {
      throw new ChaincodeError(ErrorCodes.FORBIDDEN, `attestation ${id} was issued by ${attestation.certifier}, not ${caller.mspId}`);
    }
    return attestation;
  }

  async #requireAccredited(ctx: Context, certifier: string, content: Pick<Attestation, 'jurisdiction' | 'claimTopics' | 'assuranceLevel'>, now: string): Promise<void> {
    const acc = await readAccreditation(ctx, certifier);
    const problem = accreditationProblem(acc, now);
    if (problem || !acc) throw new ChaincodeError(ErrorCodes.NOT_ACCREDITED, `${certifier} is not accredited: ${problem}`, { certifier });
    const outside = scopeProblems(acc, content);
    if (outside.length > 0) throw new ChaincodeError(ErrorCodes.OUT_OF_SCOPE, `outside ${certifier}'s accreditation`, { problems: outside });
  }

  #verify(statement: Record<string, unknown>, envelope: unknown, network: string, path: string): void {
    const result = verifyStatementSignature(statement, envelope, { network });
    if (!result.ok) {
      throw new ChaincodeError(ErrorCodes.INVALID_SIGNATURE, `${path} does not verify: ${result.message}`, { reason: result.reason, path });
    }
  }

  /** What every item of one transaction shares: read once, not once per attestation. */
  #batchContext(ctx: Context, caller: Caller, view: RegistryView): BatchContext {
    const now = txTimeIso(ctx);
    const { accreditation } = view;
    const problem = accreditationProblem(accreditation, now);
    if (problem || !accreditation) throw new ChaincodeError(ErrorCodes.NOT_ACCREDITED, `${caller.mspId} is not accredited: ${problem}`, { certifier: caller.mspId });
    return { caller, now, accreditation, network: networkIdOf(ctx, view.config) };
  }

  /** Checks one planned attestation against the ledger value under its id and queues its writes. */
  #register(ctx: Context, batch: BatchContext, item: Planned, stored: Uint8Array | undefined, writes: WriteBatch): { attestation: Attestation; unchanged: boolean; json?: string } {
    if (!item.ok) throw item.error;
    const { caller, now, network } = batch;
    const { input, path, subject, id } = item;
    if (input.expiresAt <= now) {
      throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'expiresAt must be after the transaction time', { problems: [`${path}.expiresAt: ${input.expiresAt} is not after ${now}`] });
    }
    const outside = scopeProblems(batch.accreditation, input);
    if (outside.length > 0) throw new ChaincodeError(ErrorCodes.OUT_OF_SCOPE, `outside ${caller.mspId}'s accreditation`, { problems: outside.map((p) => `${path}: ${p}`) });
    const content = contentOf({ ...input, subject, certifier: caller.mspId });
    const existing = parseJson<Attestation>(stored);
    if (existing) {
      if (canonicalJson(contentOf(existing)) === canonicalJson(content)) return { attestation: existing, unchanged: true };
      throw new ChaincodeError(ErrorCodes.CONFLICT, `attestation ${id} exists with different content`, { id, path });
    }
    this.#verify({
      domain: STATEMENT_DOMAIN, version: STATEMENT_VERSION, purpose: Purposes.ATTESTATION_REQUEST, network,
      chain: parseAccountId(subject).chainId, address: subject, certifier: caller.mspId, claimTopics: input.claimTopics, commitmentRoot: input.commitmentRoot,
    }, input.subjectSignature, network, `${path}.subjectSignature`);
    const attestation: Attestation = {
      ...content,
      id,
      signer: caller.id,
      subjectSignature: input.subjectSignature as SignatureEnvelope,
      issuedAt: now,
      status: 'active',
      updatedAt: now,
    };
    if (attestation.duplicateMarker === undefined) delete attestation.duplicateMarker;
    const json = canonicalJson(attestation);
    writes.put(stateKey(ctx, ObjectTypes.ATTESTATION, id), Buffer.from(json));
    writes.put(stateKey(ctx, ObjectTypes.ATTESTATION_BY_SUBJECT, subject, id), indexValue());
    if (attestation.duplicateMarker) writes.put(stateKey(ctx, ObjectTypes.ATTESTATION_BY_DUPLICATE, attestation.duplicateMarker, id), indexValue());
    return { attestation, unchanged: false, json };
  }
}
