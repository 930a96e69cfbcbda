import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import {
  registryActionSchema, registryBatchInputSchema, registryChangesQuerySchema, type RegistryAction, type RegistryActionOutcome, type RegistryBatchResult,
} from '@kyc-ledger/api';
import { officerSet, readAsset } from './assetAccess';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes, parseErrorBody } from './errors';
import { accountSchema, approvalsSchema, assetIdSchema, officerSetSchema, registrationInputSchema, type Asset, type Registration } from './investorModel';
import { approvalDigest, normaliseAccount, type ApprovedAction } from './officerApprovals';
import { parseInput, parseValue } from './parseInput';
import { networkId } from './registryContract';
import { applyRegistryAction, openRegistrySession, readRegistration } from './registryActions';
import { readRegistryChanges } from './registryLog';
import { readIndex, ObjectTypes } from './state';

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

async function requireRegistered(ctx: Context, asset: string, address: string): Promise<Registration> {
  const reg = await readRegistration(ctx, asset, address);
  if (!reg || reg.status !== 'registered') throw new ChaincodeError(ErrorCodes.NOT_FOUND, `${address} is not registered for ${asset}`);
  return reg;
}

/** Outcome of an action that failed its checks, as a batch reports it. */
function failedOutcome(error: ChaincodeError): RegistryActionOutcome {
  const body = parseErrorBody(error.message);
  return { ok: false, code: error.code, message: body?.message ?? error.message, ...(body?.details !== undefined && { details: body.details }) };
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
    const { asset, ...data } = parseInput(registerSchema, input, 'registration');
    return this.#single(ctx, asset, { action: 'register', ...data });
  }

  @Transaction()
  @Returns('string')
  async deregister(ctx: Context, input: string): Promise<string> {
    const { asset, address } = parseInput(addressRef, input, 'deregister');
    return this.#single(ctx, asset, { action: 'deregister', address });
  }

  @Transaction()
  @Returns('string')
  async freeze(ctx: Context, input: string): Promise<string> {
    const { asset, address } = parseInput(addressRef, input, 'freeze');
    return this.#single(ctx, asset, { action: 'freeze', address });
  }

  @Transaction()
  @Returns('string')
  async unfreeze(ctx: Context, input: string): Promise<string> {
    const { asset, ...data } = parseInput(unfreezeSchema, input, 'unfreeze');
    return this.#single(ctx, asset, { action: 'unfreeze', ...data });
  }

  /**
   * Moves an investor's registration to a new address (lost key): the old one is deregistered and
   * points to the new one, which must be attested to the same certifier's investor. Holdings follow
   * with `transfer:recoverHoldings` (they live in the issuer's private collection).
   */
  @Transaction()
  @Returns('string')
  async recover(ctx: Context, input: string): Promise<string> {
    const { asset, ...data } = parseInput(recoverSchema, input, 'recovery');
    return this.#single(ctx, asset, { action: 'recover', ...data });
  }

  async #single(ctx: Context, assetId: string, action: RegistryAction): Promise<string> {
    const session = await openRegistrySession(ctx, assetId);
    return canonicalJson((await applyRegistryAction(session, action)).registration);
  }

  /**
   * Several registry actions of one asset in one transaction, applied in order. Each asset's
   * changes are sequenced, so its concurrent transactions conflict and one commits per block;
   * batching is how an issuer registers many investors of one asset quickly. Each action is
   * checked on its own: one that fails writes nothing and reports its own coded error, the others
   * take consecutive sequence numbers. When none succeeds the transaction fails, with the first
   * action's code and every outcome in `details.results`.
   */
  @Transaction()
  @Returns('string')
  async batch(ctx: Context, input: string): Promise<string> {
    const data = parseInput(registryBatchInputSchema, input, 'registry batch');
    const session = await openRegistrySession(ctx, data.asset);
    const results: RegistryActionOutcome[] = [];
    for (const [i, raw] of data.actions.entries()) {
      try {
        const action = parseValue(registryActionSchema, raw, `action ${i}`);
        const applied = await applyRegistryAction(session, action);
        results.push({ ok: true, ...applied });
      } catch (error) {
        // Only a failed check is the action's own; anything else (a peer failure) fails the batch.
        if (!(error instanceof ChaincodeError)) throw error;
        results.push(failedOutcome(error));
      }
    }
    const applied = results.filter((r) => r.ok).length;
    if (applied === 0) {
      const first = results[0] as Extract<RegistryActionOutcome, { ok: false }>;
      throw new ChaincodeError(first.code as ChaincodeError['code'], results.length === 1 ? first.message : 'no action of the batch was applied', { results });
    }
    return canonicalJson({ asset: data.asset, applied, results } satisfies RegistryBatchResult);
  }

  /**
   * The asset's registry changes from `fromSeq` (at most `limit`), in sequence order, with its
   * newest sequence number: what a mirror of the registry (an institution's chain) replays.
   */
  @Transaction(false)
  @Returns('string')
  async changes(ctx: Context, input: string): Promise<string> {
    const query = parseInput(registryChangesQuerySchema, input, 'changes query');
    await readAsset(ctx, query.asset);
    return canonicalJson(await readRegistryChanges(ctx, query.asset, query.fromSeq, query.limit));
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
