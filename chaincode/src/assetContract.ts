import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import { RegistryOps } from '@kyc-ledger/api';
import { officerSet, readAsset, requireAssetId, requireAssetIssuer } from './assetAccess';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { approvalsSchema, assetIdSchema, assetInputSchema, officerSetSchema, type Asset } from './investorModel';
import { requireApprovals } from './officerApprovals';
import { parseInput } from './parseInput';
import { networkId, requireRole } from './registryContract';
import { appendRegistryChanges } from './registryLog';
import { parseRuleSet, publishRuleSet, ruleSetByHash, ruleSetVersions } from './ruleSetStore';
import { emit, readJson, writeJson, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

const changeOfficersSchema = z.strictObject({ asset: assetIdSchema, officers: officerSetSchema, approvals: approvalsSchema });
const unfreezeSchema = z.strictObject({ asset: assetIdSchema, approvals: approvalsSchema });

/**
 * Digital assets of issuers: each with its compliance officers' offline keys (M-of-N), a frozen
 * flag and its securities rule sets, versioned by effective date.
 */
@Info({ title: 'Asset', description: 'Issuers’ assets, compliance officer sets, freezes and securities rule sets' })
export class AssetContract extends Contract {
  constructor() {
    super('asset');
  }

  /** Creates an asset owned by the calling issuer org, with its first officer set. */
  @Transaction()
  @Returns('string')
  async create(ctx: Context, input: string): Promise<string> {
    const caller = await requireRole(ctx, 'issuer');
    const data = parseInput(assetInputSchema, input, 'asset');
    if (await readJson<Asset>(ctx, ObjectTypes.ASSET, data.id)) throw new ChaincodeError(ErrorCodes.CONFLICT, `asset ${data.id} already exists`);
    const now = txTimeIso(ctx);
    const asset: Asset = { id: data.id, name: data.name, issuer: caller.mspId, officers: officerSet(data.officers, 1), frozen: false, nonce: 0, createdAt: now, updatedAt: now };
    await writeJson(ctx, asset, ObjectTypes.ASSET, asset.id);
    emit(ctx, Events.ASSET_CREATED, { id: asset.id, issuer: asset.issuer });
    return canonicalJson(asset);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, id: string): Promise<string> {
    return canonicalJson(await readAsset(ctx, id));
  }

  /** Replaces the officer set; needs M-of-N signatures of the current set over the new one. */
  @Transaction()
  @Returns('string')
  async changeOfficers(ctx: Context, input: string): Promise<string> {
    const data = parseInput(changeOfficersSchema, input, 'officer change');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const next = officerSet(data.officers, asset.officers.version + 1);
    requireApprovals(asset.officers, { action: 'changeOfficers', asset: asset.id, accounts: next.accounts, threshold: next.threshold, version: asset.officers.version }, data.approvals, await networkId(ctx));
    const updated: Asset = { ...asset, officers: next, updatedAt: txTimeIso(ctx) };
    await writeJson(ctx, updated, ObjectTypes.ASSET, asset.id);
    emit(ctx, Events.OFFICERS_CHANGED, { id: asset.id, version: next.version, threshold: next.threshold, officers: next.accounts.length });
    return canonicalJson(updated);
  }

  /** Freezing protects investors, so the issuer may do it at once; unfreezing needs approvals. */
  @Transaction()
  @Returns('string')
  async freeze(ctx: Context, id: string): Promise<string> {
    const { asset } = await requireAssetIssuer(ctx, id);
    if (asset.frozen) throw new ChaincodeError(ErrorCodes.CONFLICT, `asset ${id} is already frozen`);
    const updated: Asset = { ...asset, frozen: true, nonce: asset.nonce + 1, updatedAt: txTimeIso(ctx) };
    await writeJson(ctx, updated, ObjectTypes.ASSET, id);
    emit(ctx, Events.ASSET_FROZEN, { id });
    await appendRegistryChanges(ctx, id, [{ op: RegistryOps.FREEZE_ASSET, address: '' }]);
    return canonicalJson(updated);
  }

  @Transaction()
  @Returns('string')
  async unfreeze(ctx: Context, input: string): Promise<string> {
    const data = parseInput(unfreezeSchema, input, 'unfreeze');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    if (!asset.frozen) throw new ChaincodeError(ErrorCodes.CONFLICT, `asset ${asset.id} is not frozen`);
    requireApprovals(asset.officers, { action: 'unfreezeAsset', asset: asset.id, nonce: asset.nonce }, data.approvals, await networkId(ctx));
    const updated: Asset = { ...asset, frozen: false, nonce: asset.nonce + 1, updatedAt: txTimeIso(ctx) };
    await writeJson(ctx, updated, ObjectTypes.ASSET, asset.id);
    emit(ctx, Events.ASSET_UNFROZEN, { id: asset.id });
    await appendRegistryChanges(ctx, asset.id, [{ op: RegistryOps.UNFREEZE_ASSET, address: '' }]);
    return canonicalJson(updated);
  }

  /** Publishes a securities rule set version for one of the caller's assets. */
  @Transaction()
  @Returns('string')
  async publishRuleSet(ctx: Context, input: string): Promise<string> {
    let raw: unknown;
    try {
      raw = JSON.parse(input);
    } catch {
      throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'rule set is not valid JSON', { problems: ['(root): not valid JSON'] });
    }
    const ruleSet = parseRuleSet(raw);
    if (ruleSet.kind !== 'securities') {
      throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid rule set', { problems: ['kind: banking rule sets are published through consortium governance (registry:propose)'] });
    }
    const { caller } = await requireAssetIssuer(ctx, ruleSet.scope);
    const { stored, unchanged } = await publishRuleSet(ctx, ruleSet, txTimeIso(ctx), caller.mspId);
    if (!unchanged) emit(ctx, Events.RULE_SET_PUBLISHED, { kind: ruleSet.kind, scope: ruleSet.scope, effectiveFrom: ruleSet.effectiveFrom, hash: stored.hash });
    return canonicalJson({ ...stored, unchanged });
  }

  /** Every securities rule set version of an asset, oldest first. */
  @Transaction(false)
  @Returns('string')
  async ruleSets(ctx: Context, id: string): Promise<string> {
    await readAsset(ctx, requireAssetId(id));
    return canonicalJson(await ruleSetVersions(ctx, 'securities', id));
  }

  /** Any rule set version (banking or securities) by its content hash. */
  @Transaction(false)
  @Returns('string')
  async ruleSet(ctx: Context, hash: string): Promise<string> {
    const stored = await ruleSetByHash(ctx, hash);
    if (!stored) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no rule set ${hash}`);
    return canonicalJson(stored);
  }
}
