import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { callerOf } from './caller';
import { canonicalJson } from './canonicalJson';
import { chaincodeVersion } from './chaincodeVersion';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { activeMember } from './requireRole';
import { emit } from './state';
import { txTimeIso } from './txTime';

const OBJECT_TYPE = 'probe';
const KEY_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const MSP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_VALUE_LENGTH = 4096;

/** A value written by {@link ProbeContract.put}. */
export interface ProbeRecord {
  key: string;
  value: string;
  writerMspId: string;
  txId: string;
  txTime: string;
}

/**
 * Plumbing checks for a running network: liveness, and a plain key/value write that serves as
 * the "bare put" baseline in benchmarks and the crash drills' probe. Holds no personal data.
 *
 * Only an org's admin may write, and only under its own org's name: a member's client identities
 * (the gateways') cannot write world state through here, and no org can overwrite another's value.
 */
@Info({ title: 'Probe', description: 'Liveness and plumbing checks for the kyc-ledger network' })
export class ProbeContract extends Contract {
  constructor() {
    super('probe');
  }

  /** Answers who endorsed and when, without touching state. */
  @Transaction(false)
  @Returns('string')
  async ping(ctx: Context): Promise<string> {
    return canonicalJson({
      ok: true,
      mspId: ctx.clientIdentity.getMSPID(),
      txId: ctx.stub.getTxID(),
      txTime: txTimeIso(ctx),
    });
  }

  /**
   * Which build answers: the package ID the peer launched and the package.json version (a
   * {@link ChaincodeVersion}). Read-only: orgs may run different packages of one definition, so no
   * write may depend on it.
   */
  @Transaction(false)
  @Returns('string')
  async version(_ctx: Context): Promise<string> {
    return canonicalJson(chaincodeVersion());
  }

  @Transaction()
  async put(ctx: Context, key: string, value: string): Promise<void> {
    const caller = callerOf(ctx);
    if (!caller.isAdmin || !(await activeMember(ctx, caller.mspId))) {
      throw new ChaincodeError(ErrorCodes.FORBIDDEN, 'only an admin of an active member org may write a probe value', { mspId: caller.mspId });
    }
    const problems: string[] = [];
    if (!KEY_PATTERN.test(key)) problems.push(`key must match ${KEY_PATTERN.source}`);
    if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) {
      problems.push(`value must be a string of at most ${MAX_VALUE_LENGTH} characters`);
    }
    if (problems.length > 0) {
      throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid probe value', { problems });
    }
    const record: ProbeRecord = {
      key,
      value,
      writerMspId: caller.mspId,
      txId: ctx.stub.getTxID(),
      txTime: txTimeIso(ctx),
    };
    const bytes = Buffer.from(canonicalJson(record));
    await ctx.stub.putState(ctx.stub.createCompositeKey(OBJECT_TYPE, [caller.mspId, key]), bytes);
    emit(ctx, Events.PROBE_VALUE_SET, { key, txId: record.txId });
  }

  /** The value `writerMspId`'s admin wrote under `key`. */
  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, writerMspId: string, key: string): Promise<string> {
    const problems: string[] = [];
    if (!MSP_ID_PATTERN.test(writerMspId)) problems.push(`writerMspId must match ${MSP_ID_PATTERN.source}`);
    if (!KEY_PATTERN.test(key)) problems.push(`key must match ${KEY_PATTERN.source}`);
    if (problems.length > 0) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid probe key', { problems });
    const bytes = await ctx.stub.getState(ctx.stub.createCompositeKey(OBJECT_TYPE, [writerMspId, key]));
    if (bytes.length === 0) {
      throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no probe value of ${writerMspId} for key ${key}`, { writerMspId, key });
    }
    return Buffer.from(bytes).toString('utf8');
  }
}
