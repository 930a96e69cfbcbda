import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import { callerOf, type Caller } from './caller';
import { canonicalJson } from './canonicalJson';
import { investorCollection, issuerCollection } from './collections';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { investorIdSchema, investorRecordInputSchema, type InvestorRecord } from './investorModel';
import { parseInput } from './parseInput';
import { purgePrivate, readPrivateIndex, readPrivateJson, writePrivateJson } from './privateState';
import { mspIdSchema } from './registryModel';
import { activeMember } from './registryContract';
import { emit, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

/** The transient-map field carrying the record, so its values never enter the transaction. */
export const INVESTOR_TRANSIENT_KEY = 'investor';

const recordRef = z.strictObject({ issuer: mspIdSchema, certifier: mspIdSchema, id: investorIdSchema });

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
 * Writes here touch private keys only, so only the collection's member peers endorse them.
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
    const record = await readPrivateJson<InvestorRecord>(ctx, investorCollection(ref.issuer, ref.certifier), ObjectTypes.INVESTOR, ref.id);
    if (!record) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no investor record ${ref.id}`);
    return canonicalJson(record);
  }

  /**
   * Erasure: purges the record (value and history) from every member peer. Called by the issuer
   * it also purges the transfer decisions recorded with this investor's attributes.
   */
  @Transaction()
  @Returns('string')
  async erase(ctx: Context, input: string): Promise<string> {
    const ref = parseInput(recordRef, input, 'investor reference');
    const caller = await requireParty(ctx, ref);
    const collection = investorCollection(ref.issuer, ref.certifier);
    if (!(await readPrivateJson<InvestorRecord>(ctx, collection, ObjectTypes.INVESTOR, ref.id))) {
      throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no investor record ${ref.id}`);
    }
    await purgePrivate(ctx, collection, ObjectTypes.INVESTOR, ref.id);
    let decisions = 0;
    if (caller.mspId === ref.issuer) {
      const own = issuerCollection(ref.issuer);
      for (const key of await readPrivateIndex(ctx, own, ObjectTypes.DECISION_BY_INVESTOR, ref.certifier, ref.id)) {
        const [asset, id] = key.split('/');
        if (!asset || !id) continue;
        await purgePrivate(ctx, own, ObjectTypes.DECISION, asset, id);
        await purgePrivate(ctx, own, ObjectTypes.DECISION_BY_INVESTOR, ref.certifier, ref.id, key);
        decisions++;
      }
    }
    emit(ctx, Events.INVESTOR_ERASED, { issuer: ref.issuer, certifier: ref.certifier, id: ref.id });
    return canonicalJson({ erased: ref.id, decisionsPurged: decisions });
  }
}
