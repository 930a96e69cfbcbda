import type { Context } from 'fabric-contract-api';
import type { RegistryChange, RegistryChangesPage, RegistryOp } from '@kyc-ledger/api';
import { Events, emit } from './events';
import { getStates } from './ledgerBatch';
import { parseStored, readJson, stateKey, writeJson, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

/** Digits of a stored sequence number: Number.MAX_SAFE_INTEGER has 16, so key order is numeric order. */
const SEQ_DIGITS = 16;

interface RegistryHead {
  asset: string;
  head: number;
}

/**
 * Each transaction's heads so far, per asset. A transaction does not read its own writes, so a
 * second change of one asset in the same transaction must continue from here, not from the
 * ledger (fabric-shim builds a fresh Context for every transaction).
 */
const headsOf = new WeakMap<Context, Map<string, number>>();

/** The key part of a sequence number, zero-padded so composite keys sort in sequence order. */
export function seqKey(seq: number): string {
  return String(seq).padStart(SEQ_DIGITS, '0');
}

/** The asset's newest sequence number as this transaction sees it (0: no change yet). */
export async function registryHead(ctx: Context, asset: string): Promise<number> {
  const known = headsOf.get(ctx)?.get(asset);
  if (known !== undefined) return known;
  return (await readJson<RegistryHead>(ctx, ObjectTypes.REGISTRY_HEAD, asset))?.head ?? 0;
}

/**
 * Appends changes to an asset's registry log: each takes the next gapless sequence number, is
 * stored under its own key with the transaction's id and time, and is listed as a
 * `RegistryChanged` change in the transaction's event. The head is written once more per call;
 * Fabric keeps the last write of a key, so the head ends at the transaction's last sequence.
 */
export async function appendRegistryChanges(ctx: Context, asset: string, changes: readonly { op: RegistryOp; address: string }[]): Promise<RegistryChange[]> {
  if (changes.length === 0) return [];
  let head = await registryHead(ctx, asset);
  const txId = ctx.stub.getTxID();
  const at = txTimeIso(ctx);
  const stored: RegistryChange[] = [];
  for (const { op, address } of changes) {
    const change: RegistryChange = { asset, seq: ++head, op, address, txId, at };
    await writeJson(ctx, change, ObjectTypes.REGISTRY_CHANGE, asset, seqKey(change.seq));
    emit(ctx, Events.REGISTRY_CHANGED, { asset, seq: change.seq, op, address });
    stored.push(change);
  }
  await writeJson(ctx, { asset, head } satisfies RegistryHead, ObjectTypes.REGISTRY_HEAD, asset);
  let heads = headsOf.get(ctx);
  if (!heads) headsOf.set(ctx, (heads = new Map()));
  heads.set(asset, head);
  return stored;
}

/**
 * Changes `fromSeq`.. of an asset, at most `limit`, with its head. The sequence is gapless, so the
 * keys are known from the head and read in one batch rather than by a range scan.
 */
export async function readRegistryChanges(ctx: Context, asset: string, fromSeq: number, limit: number): Promise<RegistryChangesPage> {
  const head = await registryHead(ctx, asset);
  const last = Math.min(head, fromSeq + limit - 1);
  const keys: string[] = [];
  for (let seq = fromSeq; seq <= last; seq++) keys.push(stateKey(ctx, ObjectTypes.REGISTRY_CHANGE, asset, seqKey(seq)));
  const values = keys.length > 0 ? await getStates(ctx, keys) : [];
  const changes = values.map((bytes, i) => {
    const change = parseStored<RegistryChange>(ctx, bytes);
    if (!change) throw new Error(`registry change ${fromSeq + i} of ${asset} is missing below head ${head}`);
    return change;
  });
  return { asset, head, changes };
}
