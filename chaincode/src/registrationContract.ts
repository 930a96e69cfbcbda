import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import { readAsset, requireAssetIssuer } from './assetAccess';
import type { Attestation } from './attestationModel';
import { evaluateStatus } from './attestationStatus';
import { canonicalJson } from './canonicalJson';
import { investorCollection } from './collections';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { accountSchema, approvalsSchema, assetIdSchema, officerSetSchema, registrationInputSchema, type Asset, type Registration } from './investorModel';
import { approvalDigest, normaliseAccount, requireApprovals, type ApprovedAction } from './officerApprovals';
import { officerSet } from './assetAccess';
import { parseInput } from './parseInput';
import { networkId, readAccreditation } from './registryContract';
import { emit, readIndex, readJson, stateKey, writeJson, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const addressRef = z.strictObject({ asset: assetIdSchema, address: accountSchema });
const registerSchema = registrationInputSchema.extend({ approvals: approvalsSchema });
const recoverSchema = z.strictObject({ asset: assetIdSchema, from: accountSchema, to: accountSchema, attestationId: hex64, approvals: approvalsSchema });
const unfreezeSchema = addressRef.extend({ approvals: approvalsSchema });

/** What officers are asked to approve; the contract fills in the nonce or set version. */
const approvalRequestSchema = z.discriminatedUnion('action', [
  registrationInputSchema.extend({ action: z.literal('register') }),
  z.strictObject({ action: z.literal('recover'), asset: assetIdSchema, from: accountSchema, to: accountSchema, attestationId: hex64 }),
  addressRef.extend({ action: z.literal('unfreezeAddress') }),
  z.strictObject({ action: z.literal('unfreezeAsset'), asset: assetIdSchema }),
  z.strictObject({ action: z.literal('changeOfficers'), asset: assetIdSchema, officers: officerSetSchema }),
]);

async function readRegistration(ctx: Context, asset: string, address: string): Promise<Registration | undefined> {
  return readJson<Registration>(ctx, ObjectTypes.REGISTRATION, asset, address);
}

async function requireRegistered(ctx: Context, asset: string, address: string): Promise<Registration> {
  const reg = await readRegistration(ctx, asset, address);
  if (!reg || reg.status !== 'registered') throw new ChaincodeError(ErrorCodes.NOT_FOUND, `${address} is not registered for ${asset}`);
  return reg;
}

/**
 * The attestation backing a registration must be the subject's own, by the named certifier, and
 * valid now; the investor record it points to must exist (checked by its hash, which every peer
 * can read without seeing the record).
 */
async function checkBacking(ctx: Context, issuer: string, input: { address: string; certifier: string; attestationId: string; investor: string }, now: string): Promise<void> {
  const attestation = await readJson<Attestation>(ctx, ObjectTypes.ATTESTATION, input.attestationId);
  if (!attestation) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no attestation ${input.attestationId}`);
  const problems: string[] = [];
  if (attestation.subject !== input.address) problems.push(`attestationId: attests ${attestation.subject}, not ${input.address}`);
  if (attestation.certifier !== input.certifier) problems.push(`certifier: the attestation is by ${attestation.certifier}`);
  if (problems.length > 0) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'the attestation does not back this registration', { problems });
  const status = evaluateStatus(attestation, await readAccreditation(ctx, attestation.certifier), now);
  if (!status.valid) throw new ChaincodeError(ErrorCodes.ATTESTATION_NOT_ACTIVE, `attestation ${attestation.id} is not valid`, { status: status.status, reasons: status.reasons });
  const hash = await ctx.stub.getPrivateDataHash(investorCollection(issuer, input.certifier), stateKey(ctx, ObjectTypes.INVESTOR, input.investor));
  if (!hash || hash.length === 0) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no investor record ${input.investor} shared by ${issuer} and ${input.certifier}`);
}

/**
 * The authenticated-address registry: an investor's address becomes authenticated for an asset
 * only with M-of-N signatures of the issuer's compliance officers' offline keys, verified here.
 * Deregistration and freezing protect, so the issuer may do them alone; unfreezing and recovery
 * need approvals like a registration.
 */
@Info({ title: 'Registration', description: 'Authenticated investor addresses per asset, with M-of-N officer approvals' })
export class RegistrationContract extends Contract {
  constructor() {
    super('registration');
  }

  /** The action with its current nonce and the digest officers sign for it (read-only). */
  @Transaction(false)
  @Returns('string')
  async approvalRequest(ctx: Context, input: string): Promise<string> {
    const req = parseInput(approvalRequestSchema, input, 'approval request');
    const asset = await readAsset(ctx, req.asset);
    const action = await this.#action(ctx, asset, req);
    return canonicalJson({ action, digest: approvalDigest(action), threshold: asset.officers.threshold, officers: asset.officers.accounts, network: await networkId(ctx) });
  }

  async #action(ctx: Context, asset: Asset, req: z.output<typeof approvalRequestSchema>): Promise<ApprovedAction> {
    switch (req.action) {
      case 'register': {
        const address = normaliseAccount(req.address, 'address');
        const nonce = (await readRegistration(ctx, asset.id, address))?.nonce ?? 0;
        return { action: 'register', asset: asset.id, address, investor: req.investor, certifier: req.certifier, attestationId: req.attestationId, nonce };
      }
      case 'recover': {
        const from = normaliseAccount(req.from, 'from');
        const reg = await requireRegistered(ctx, asset.id, from);
        return { action: 'recover', asset: asset.id, from, to: normaliseAccount(req.to, 'to'), attestationId: req.attestationId, nonce: reg.nonce };
      }
      case 'unfreezeAddress': {
        const address = normaliseAccount(req.address, 'address');
        return { action: 'unfreezeAddress', asset: asset.id, address, nonce: (await requireRegistered(ctx, asset.id, address)).nonce };
      }
      case 'unfreezeAsset':
        return { action: 'unfreezeAsset', asset: asset.id, nonce: asset.nonce };
      case 'changeOfficers': {
        const next = officerSet(req.officers, asset.officers.version + 1);
        return { action: 'changeOfficers', asset: asset.id, accounts: next.accounts, threshold: next.threshold, version: asset.officers.version };
      }
    }
  }

  @Transaction()
  @Returns('string')
  async register(ctx: Context, input: string): Promise<string> {
    const data = parseInput(registerSchema, input, 'registration');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const address = normaliseAccount(data.address, 'address');
    const existing = await readRegistration(ctx, asset.id, address);
    if (existing?.status === 'registered') throw new ChaincodeError(ErrorCodes.CONFLICT, `${address} is already registered for ${asset.id}`);
    if (existing?.recoveredTo) {
      // Its investor moved to another address (lost key); its holding follows with recoverHoldings.
      throw new ChaincodeError(ErrorCodes.CONFLICT, `${address} was recovered to ${existing.recoveredTo} and cannot be registered again`);
    }
    const now = txTimeIso(ctx);
    await checkBacking(ctx, asset.issuer, { ...data, address }, now);
    const nonce = existing?.nonce ?? 0;
    const approvedBy = requireApprovals(asset.officers, { action: 'register', asset: asset.id, address, investor: data.investor, certifier: data.certifier, attestationId: data.attestationId, nonce }, data.approvals, await networkId(ctx));
    const reg: Registration = {
      asset: asset.id, address, investor: data.investor, certifier: data.certifier, attestationId: data.attestationId,
      status: 'registered', frozen: false, nonce: nonce + 1, approvedBy, registeredAt: now, updatedAt: now,
    };
    await writeJson(ctx, reg, ObjectTypes.REGISTRATION, asset.id, address);
    emit(ctx, Events.ADDRESS_REGISTERED, { asset: asset.id, address });
    return canonicalJson(reg);
  }

  @Transaction()
  @Returns('string')
  async deregister(ctx: Context, input: string): Promise<string> {
    return this.#update(ctx, input, 'deregister', (reg) => ({ ...reg, status: 'deregistered', frozen: false }), Events.ADDRESS_DEREGISTERED);
  }

  @Transaction()
  @Returns('string')
  async freeze(ctx: Context, input: string): Promise<string> {
    return this.#update(ctx, input, 'freeze', (reg) => {
      if (reg.frozen) throw new ChaincodeError(ErrorCodes.CONFLICT, `${reg.address} is already frozen for ${reg.asset}`);
      return { ...reg, frozen: true };
    }, Events.ADDRESS_FROZEN);
  }

  async #update(ctx: Context, input: string, what: string, change: (r: Registration) => Registration, event: typeof Events.ADDRESS_DEREGISTERED | typeof Events.ADDRESS_FROZEN): Promise<string> {
    const data = parseInput(addressRef, input, what);
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const address = normaliseAccount(data.address, 'address');
    const reg = await requireRegistered(ctx, asset.id, address);
    const updated: Registration = { ...change(reg), nonce: reg.nonce + 1, updatedAt: txTimeIso(ctx) };
    await writeJson(ctx, updated, ObjectTypes.REGISTRATION, asset.id, address);
    emit(ctx, event, { asset: asset.id, address });
    return canonicalJson(updated);
  }

  @Transaction()
  @Returns('string')
  async unfreeze(ctx: Context, input: string): Promise<string> {
    const data = parseInput(unfreezeSchema, input, 'unfreeze');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const address = normaliseAccount(data.address, 'address');
    const reg = await requireRegistered(ctx, asset.id, address);
    if (!reg.frozen) throw new ChaincodeError(ErrorCodes.CONFLICT, `${address} is not frozen for ${asset.id}`);
    requireApprovals(asset.officers, { action: 'unfreezeAddress', asset: asset.id, address, nonce: reg.nonce }, data.approvals, await networkId(ctx));
    const updated: Registration = { ...reg, frozen: false, nonce: reg.nonce + 1, updatedAt: txTimeIso(ctx) };
    await writeJson(ctx, updated, ObjectTypes.REGISTRATION, asset.id, address);
    emit(ctx, Events.ADDRESS_UNFROZEN, { asset: asset.id, address });
    return canonicalJson(updated);
  }

  /**
   * Moves an investor's registration to a new address (lost key): the old one is deregistered and
   * points to the new one, which must be attested to the same certifier's investor. Holdings follow
   * with `transfer:recoverHoldings` (they live in the issuer's private collection).
   */
  @Transaction()
  @Returns('string')
  async recover(ctx: Context, input: string): Promise<string> {
    const data = parseInput(recoverSchema, input, 'recovery');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const from = normaliseAccount(data.from, 'from');
    const to = normaliseAccount(data.to, 'to');
    if (from === to) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid recovery', { problems: ['to: must differ from from'] });
    const old = await requireRegistered(ctx, asset.id, from);
    const target = await readRegistration(ctx, asset.id, to);
    if (target?.status === 'registered') throw new ChaincodeError(ErrorCodes.CONFLICT, `${to} is already registered for ${asset.id}`);
    const now = txTimeIso(ctx);
    await checkBacking(ctx, asset.issuer, { address: to, certifier: old.certifier, attestationId: data.attestationId, investor: old.investor }, now);
    const approvedBy = requireApprovals(asset.officers, { action: 'recover', asset: asset.id, from, to, attestationId: data.attestationId, nonce: old.nonce }, data.approvals, await networkId(ctx));
    const next: Registration = {
      asset: asset.id, address: to, investor: old.investor, certifier: old.certifier, attestationId: data.attestationId,
      status: 'registered', frozen: old.frozen, nonce: (target?.nonce ?? 0) + 1, approvedBy, registeredAt: now, updatedAt: now, recoveredFrom: from,
    };
    await writeJson(ctx, { ...old, status: 'deregistered', recoveredTo: to, nonce: old.nonce + 1, updatedAt: now } satisfies Registration, ObjectTypes.REGISTRATION, asset.id, from);
    await writeJson(ctx, next, ObjectTypes.REGISTRATION, asset.id, to);
    emit(ctx, Events.ADDRESS_RECOVERED, { asset: asset.id, from, to });
    return canonicalJson(next);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, input: string): Promise<string> {
    const data = parseInput(addressRef, input, 'registration reference');
    const reg = await readRegistration(ctx, data.asset, normaliseAccount(data.address, 'address'));
    if (!reg) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `${data.address} has no registration for ${data.asset}`);
    return canonicalJson(reg);
  }

  /** Every registration (current and past) of an asset. */
  @Transaction(false)
  @Returns('string')
  async list(ctx: Context, asset: string): Promise<string> {
    await readAsset(ctx, asset);
    const addresses = await readIndex(ctx, ObjectTypes.REGISTRATION, asset);
    const regs: Registration[] = [];
    for (const address of addresses) {
      const reg = await readRegistration(ctx, asset, address);
      if (reg) regs.push(reg);
    }
    return canonicalJson(regs);
  }
}
