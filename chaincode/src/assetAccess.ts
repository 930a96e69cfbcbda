import type { Context } from 'fabric-contract-api';
import type { Caller } from './caller';
import { ChaincodeError, ErrorCodes } from './errors';
import { assetIdSchema, type Asset, type OfficerSet, type OfficerSetInput } from './investorModel';
import { normaliseAccount } from './officerApprovals';
import { requireRole } from './requireRole';
import { readJson, ObjectTypes } from './state';

export function requireAssetId(id: string, path = 'asset'): string {
  if (!assetIdSchema.safeParse(id).success) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `invalid ${path}`, { problems: [`${path}: must be 1-128 characters of [A-Za-z0-9._:-]`] });
  }
  return id;
}

export async function readAsset(ctx: Context, id: string): Promise<Asset> {
  const asset = await readJson<Asset>(ctx, ObjectTypes.ASSET, requireAssetId(id));
  if (!asset) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no asset ${id}`);
  return asset;
}

/** The asset, provided the caller is an active issuer member and the asset's own issuer. */
export async function requireAssetIssuer(ctx: Context, id: string): Promise<{ asset: Asset; caller: Caller }> {
  const caller = await requireRole(ctx, 'issuer');
  const asset = await readAsset(ctx, id);
  if (asset.issuer !== caller.mspId) {
    throw new ChaincodeError(ErrorCodes.FORBIDDEN, `asset ${id} belongs to ${asset.issuer}`, { mspId: caller.mspId, issuer: asset.issuer });
  }
  return { asset, caller };
}

/** Normalises and sorts officer accounts; the same officer twice is a problem, not a second vote. */
export function officerSet(input: OfficerSetInput, version: number): OfficerSet {
  const accounts = input.accounts.map((a, i) => normaliseAccount(a, `officers.accounts.${i}`));
  const duplicates = accounts.filter((a, i) => accounts.indexOf(a) !== i);
  if (duplicates.length > 0) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid officer set', { problems: duplicates.map((d) => `officers.accounts: ${d} is listed twice`) });
  }
  return { accounts: [...accounts].sort(), threshold: input.threshold, version };
}
