import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import { requireAssetIssuer } from './assetAccess';
import { canonicalJson } from './canonicalJson';
import { detectTransfer, verdictOf } from './detectTransfer';
import { issuerCollection } from './collections';
import { messageForTransferRestriction, RestrictionCodes } from './compliance';
import { readDecision, recordDecision } from './decisionStore';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { accountSchema, assetIdSchema, transferInputSchema, type HolderCounts, type Holding, type Registration } from './investorModel';
import { normaliseAccount } from './officerApprovals';
import { parseInput } from './parseInput';
import { writePrivateJson, purgePrivate } from './privateState';
import { gatherTransferFacts, readHolders, readHolding } from './transferFacts';
import { emit, readJson, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

export type { Decision } from './decisionStore';

const decisionRef = z.strictObject({ asset: assetIdSchema, id: z.string().regex(/^[0-9a-f]{64}$/, 'must be a transaction id') });
const recoverHoldingsSchema = z.strictObject({ asset: assetIdSchema, from: accountSchema });

function addCount(counts: HolderCounts, country: string, delta: number): HolderCounts {
  const byCountry = { ...counts.byCountry, [country]: (counts.byCountry[country] ?? 0) + delta };
  if (byCountry[country] === 0) delete byCountry[country];
  return { total: counts.total + delta, byCountry };
}

/**
 * ERC-1404-style transfer checks for an issuer's assets, and the issuer's cap table (holdings and
 * holder counts, kept in the issuer's own private collection) that the holder-cap, balance and
 * lock-up rules need. Issuances and transfers are recorded only when the check allows them.
 */
@Info({ title: 'Transfer', description: 'ERC-1404 transfer restriction checks, decisions and the issuer’s cap table' })
export class TransferContract extends Contract {
  constructor() {
    super('transfer');
  }

  /** `detectTransferRestriction`: 0 = allowed, else the primary code, with every failing reason. */
  @Transaction(false)
  @Returns('string')
  async detect(ctx: Context, input: string): Promise<string> {
    return canonicalJson(await detectTransfer(ctx, input));
  }

  /** `messageForTransferRestriction`. */
  @Transaction(false)
  @Returns('string')
  async message(ctx: Context, code: string, locale: string): Promise<string> {
    if (!/^[0-9]{1,3}$/.test(code) || Number(code) > 255) {
      throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid restriction code', { problems: ['code: must be an integer 0-255'] });
    }
    return canonicalJson({ code: Number(code), locale, message: messageForTransferRestriction(Number(code), locale || 'en') });
  }

  /**
   * Checks a transfer and records the decision (inputs, rule-set hashes, verdict) for replay: the
   * verdict in the issuer's collection, each registered party's inputs in its investor's collection
   * (see decisionStore), where an erasure purges them. Returns only the decision's id.
   */
  @Transaction()
  @Returns('string')
  async record(ctx: Context, input: string): Promise<string> {
    const data = parseInput(transferInputSchema, input, 'transfer');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const now = txTimeIso(ctx);
    const facts = await gatherTransferFacts(ctx, asset, data, now);
    const id = ctx.stub.getTxID();
    await recordDecision(ctx, asset.issuer, id, now, facts, verdictOf(facts));
    emit(ctx, Events.DECISION_RECORDED, { asset: asset.id, id });
    // A submitted transaction's response goes into the block: name the decision, never its
    // inputs or reasons (read them with transfer:decision, a query).
    return canonicalJson({ id, asset: asset.id, recordedAt: now });
  }

  /**
   * A recorded decision with its inputs; after an erasure of a party's investor record, without
   * them (`erased` names the parties), the verdict and hashes still there.
   */
  @Transaction(false)
  @Returns('string')
  async decision(ctx: Context, input: string): Promise<string> {
    const ref = parseInput(decisionRef, input, 'decision reference');
    const { asset } = await requireAssetIssuer(ctx, ref.asset);
    const decision = await readDecision(ctx, asset.issuer, asset.id, ref.id);
    if (!decision) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no decision ${ref.id} for ${asset.id}`);
    return canonicalJson(decision);
  }

  /**
   * Records an issuance (`from` absent) or a settled transfer in the cap table, only when the
   * check allows it; otherwise TRANSFER_RESTRICTED with the verdict and nothing changes (a failed
   * endorsement never reaches a block, so the verdict in the error stays private).
   */
  @Transaction()
  @Returns('string')
  async execute(ctx: Context, input: string): Promise<string> {
    const data = parseInput(transferInputSchema, input, 'transfer');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const now = txTimeIso(ctx);
    const facts = await gatherTransferFacts(ctx, asset, data, now);
    if (facts.input.from?.address === facts.input.to.address) {
      // The cap-table update below treats sender and recipient as two holdings.
      throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid transfer', { problems: ['to: must differ from from (a transfer to oneself changes nothing)'] });
    }
    const verdict = verdictOf(facts);
    if (verdict.code !== RestrictionCodes.SUCCESS) {
      throw new ChaincodeError(ErrorCodes.TRANSFER_RESTRICTED, `transfer restricted: ${verdict.name}`, verdict);
    }
    const own = issuerCollection(asset.issuer);
    const amount = BigInt(data.amount);
    let counts = facts.input.holders;
    const { from, to } = facts.input;
    if (from) {
      const left = BigInt(from.balance) - amount;
      const held = facts.holdings.from as Holding;
      if (left === 0n) {
        counts = addCount(counts, held.jurisdiction, -1);
        await purgePrivate(ctx, own, ObjectTypes.HOLDING, asset.id, from.address);
      } else {
        await writePrivateJson(ctx, own, { ...held, balance: left.toString() } satisfies Holding, ObjectTypes.HOLDING, asset.id, from.address);
      }
    }
    const before = facts.holdings.to;
    const jurisdiction = before?.jurisdiction ?? to.investor?.jurisdiction ?? 'ZZ';
    if (!before) counts = addCount(counts, jurisdiction, 1);
    const holding: Holding = { balance: (BigInt(before?.balance ?? '0') + amount).toString(), acquiredAt: before?.acquiredAt ?? now, jurisdiction };
    await writePrivateJson(ctx, own, holding, ObjectTypes.HOLDING, asset.id, to.address);
    await writePrivateJson(ctx, own, counts, ObjectTypes.HOLDERS, asset.id);
    emit(ctx, Events.HOLDINGS_CHANGED, { asset: asset.id });
    // Only what the block may show: holdings and holder counts stay in the issuer's collection.
    return canonicalJson({ asset: asset.id, recorded: true, code: verdict.code });
  }

  /** After `registration:recover`, moves the old address's holding to the new one. */
  @Transaction()
  @Returns('string')
  async recoverHoldings(ctx: Context, input: string): Promise<string> {
    const data = parseInput(recoverHoldingsSchema, input, 'holdings recovery');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const from = normaliseAccount(data.from, 'from');
    const reg = await readJson<Registration>(ctx, ObjectTypes.REGISTRATION, asset.id, from);
    if (!reg?.recoveredTo) throw new ChaincodeError(ErrorCodes.CONFLICT, `${from} has not been recovered to a new address`);
    const holding = await readHolding(ctx, asset, from);
    if (!holding) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `${from} holds nothing of ${asset.id}`);
    if (await readHolding(ctx, asset, reg.recoveredTo)) throw new ChaincodeError(ErrorCodes.CONFLICT, `${reg.recoveredTo} already holds ${asset.id}`);
    const own = issuerCollection(asset.issuer);
    await purgePrivate(ctx, own, ObjectTypes.HOLDING, asset.id, from);
    await writePrivateJson(ctx, own, holding, ObjectTypes.HOLDING, asset.id, reg.recoveredTo);
    emit(ctx, Events.HOLDINGS_CHANGED, { asset: asset.id });
    return canonicalJson({ from, to: reg.recoveredTo, moved: true });
  }

  /** One address's holding and the asset's holder counts (issuer only). */
  @Transaction(false)
  @Returns('string')
  async holding(ctx: Context, input: string): Promise<string> {
    const data = parseInput(z.strictObject({ asset: assetIdSchema, address: accountSchema }), input, 'holding reference');
    const { asset } = await requireAssetIssuer(ctx, data.asset);
    const address = normaliseAccount(data.address, 'address');
    return canonicalJson({ address, holding: (await readHolding(ctx, asset, address)) ?? null, holders: await readHolders(ctx, asset) });
  }
}

