import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import { callerOf, type Caller } from './caller';
import { canonicalJson } from './canonicalJson';
import { investorCollection } from './collections';
import { purgeDecisionInputs, type DecisionInputIndex } from './decisionStore';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { investorIdSchema, investorRecordInputSchema, type InvestorRecord } from './investorModel';
import { parseInput } from './parseInput';
import { purgePrivate, readPrivateJson, writePrivateJson } from './privateState';
import { mspIdSchema } from './registryModel';
import { activeMember } from './registryContract';
import { emit, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

/** The transient-map field carrying the record, so its values never enter the transaction. */
export const INVESTOR_TRANSIENT_KEY = 'investor';

const recordRef = z.strictObject({ issuer: mspIdSchema, certifier: mspIdSchema, id: investorIdSchema });

/** What an erasure leaves in the investor's collection: no attribute, only when and by whom. */
interface ErasureMark {
  erasedAt: string;
  erasedBy: string;
}

function erasedError(id: string, mark: ErasureMark): ChaincodeError {
  return new ChaincodeError(ErrorCodes.ERASED, `investor record ${id} was erased`, { id, ...mark });
}

/** Only the issuer and the certifier named by the record may touch it, each holding its role. */
async function requireParty(ctx: Context, ref: { issuer: string; certifier: string }): Promise<Caller> {
  const caller = callerOf(ctx);
  const role = caller.mspId === ref.issuer ? 'issuer' : caller.mspId === ref.certifier ? 'certifier' : undefined;
  const member = role ? await activeMember(ctx, caller.mspId) : undefined;
  if (!role || !member?.roles.includes(role)) {
    throw new ChaincodeError(ErrorCodes.FORBIDDEN, 'only the issuer and the certifier of an investor record may access it', { mspId: caller.mspId });
  }
  return caller;
}

function transientRecord(ctx: Context): string {
  const bytes = ctx.stub.getTransient().get(INVESTOR_TRANSIENT_KEY);
  if (!bytes || bytes.length === 0) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'the investor record must be sent as transient data', { problems: [`transient.${INVESTOR_TRANSIENT_KEY}: missing`] });
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Investor records: the personal attributes compliance needs (jurisdiction, investor type,
 * accreditation expiry, risk data). They live only in the private data collection of the issuer
 * and the certifier that attested the investor; the channel sees only Fabric's hash of them.
 * Writes here touch private keys only; the collection's endorsement policy names the issuer's peer
 * (network/src/collectionsConfig.ts), so no write is valid without the issuer's endorsement.
 */
@Info({ title: 'Investor', description: 'Private investor attributes shared by an issuer and a certifier' })
export class InvestorContract extends Contract {
  constructor() {
    super('investor');
  }

  /** Creates or replaces a record; the record comes in the transient map under `investor`. */
  @Transaction()
  @Returns('string')
  async put(ctx: Context): Promise<string> {
    const data = parseInput(investorRecordInputSchema, transientRecord(ctx), 'investor record');
    const caller = await requireParty(ctx, data);
    const issuer = await activeMember(ctx, data.issuer);
    const certifier = await activeMember(ctx, data.certifier);
    const problems = [
      ...(issuer?.roles.includes('issuer') ? [] : [`issuer: ${data.issuer} is not an active issuer`]),
      ...(certifier?.roles.includes('certifier') ? [] : [`certifier: ${data.certifier} is not an active certifier`]),
    ];
    if (problems.length > 0) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid investor record', { problems });
    const record: InvestorRecord = { ...data, updatedAt: txTimeIso(ctx), updatedBy: caller.mspId };
    await writePrivateJson(ctx, investorCollection(data.issuer, data.certifier), record, ObjectTypes.INVESTOR, data.id);
    emit(ctx, Events.INVESTOR_RECORD_PUT, { issuer: data.issuer, certifier: data.certifier, id: data.id });
    return canonicalJson({ issuer: data.issuer, certifier: data.certifier, id: data.id, updatedAt: record.updatedAt });
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, input: string): Promise<string> {
    const ref = parseInput(recordRef, input, 'investor reference');
    await requireParty(ctx, ref);
    const collection = investorCollection(ref.issuer, ref.certifier);
    const record = await readPrivateJson<InvestorRecord>(ctx, collection, ObjectTypes.INVESTOR, ref.id);
    if (record) return canonicalJson(record);
    const mark = await readPrivateJson<ErasureMark>(ctx, collection, ObjectTypes.INVESTOR_ERASED, ref.id);
    throw mark ? erasedError(ref.id, mark) : new ChaincodeError(ErrorCodes.NOT_FOUND, `no investor record ${ref.id}`);
  }

  /**
   * Erasure, by the issuer or the certifier, whoever asks first: purges (value and history, from
   * every member peer) the record and the personal inputs of every decision recorded with it, all
   * kept in the investor collection both are members of. Only point reads: Fabric refuses private
   * range queries in a writing transaction. The issuer's own collection keeps the decisions'
   * verdicts and hashes, which hold no attribute. Asked again, it answers ERASED and changes nothing.
   */
  @Transaction()
  @Returns('string')
  async erase(ctx: Context, input: string): Promise<string> {
    const ref = parseInput(recordRef, input, 'investor reference');
    const caller = await requireParty(ctx, ref);
    const collection = investorCollection(ref.issuer, ref.certifier);
    const record = await readPrivateJson<InvestorRecord>(ctx, collection, ObjectTypes.INVESTOR, ref.id);
    const index = await readPrivateJson<DecisionInputIndex>(ctx, collection, ObjectTypes.INVESTOR_DECISIONS, ref.id);
    if (!record && !index) {
      const mark = await readPrivateJson<ErasureMark>(ctx, collection, ObjectTypes.INVESTOR_ERASED, ref.id);
      throw mark ? erasedError(ref.id, mark) : new ChaincodeError(ErrorCodes.NOT_FOUND, `no investor record ${ref.id}`);
    }
    if (record) await purgePrivate(ctx, collection, ObjectTypes.INVESTOR, ref.id);
    const decisions = index ? await purgeDecisionInputs(ctx, collection, ref.id, index) : 0;
    const mark: ErasureMark = { erasedAt: txTimeIso(ctx), erasedBy: caller.mspId };
    await writePrivateJson(ctx, collection, mark, ObjectTypes.INVESTOR_ERASED, ref.id);
    emit(ctx, Events.INVESTOR_ERASED, { issuer: ref.issuer, certifier: ref.certifier, id: ref.id });
    return canonicalJson({ erased: ref.id, ...mark, recordPurged: record !== undefined, decisionsPurged: decisions });
  }
}
