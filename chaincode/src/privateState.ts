import type { Context } from 'fabric-contract-api';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes } from './errors';
import { parseStored, stateKey, type ObjectType } from './state';

/**
 * A peer that is not a member of a collection cannot read it; Fabric reports that as a plain
 * error string, which we turn into one coded answer instead of an opaque failure.
 */
function unavailable(collection: string, _error: unknown): ChaincodeError {
  // The peer's own message names its internals (collection configs, ledger queries), so it is not
  // passed on to the client; the code and the collection say what is wrong.
  return new ChaincodeError(ErrorCodes.PRIVATE_DATA_UNAVAILABLE, `private data of ${collection} is not available to this caller or peer`, { collection });
}

export async function readPrivateJson<T>(ctx: Context, collection: string, type: ObjectType, ...attributes: string[]): Promise<T | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await ctx.stub.getPrivateData(collection, stateKey(ctx, type, ...attributes));
  } catch (error) {
    throw unavailable(collection, error);
  }
  return parseStored<T>(ctx, bytes);
}

export async function writePrivateJson(ctx: Context, collection: string, value: unknown, type: ObjectType, ...attributes: string[]): Promise<void> {
  await ctx.stub.putPrivateData(collection, stateKey(ctx, type, ...attributes), Buffer.from(canonicalJson(value)));
}

/** Removes the value and, unlike a delete, its history from every member peer (Fabric ≥ 2.5). */
export async function purgePrivate(ctx: Context, collection: string, type: ObjectType, ...attributes: string[]): Promise<void> {
  await ctx.stub.purgePrivateData(collection, stateKey(ctx, type, ...attributes));
}
