import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { emit } from './state';
import { txTimeIso } from './txTime';

const OBJECT_TYPE = 'probe';
const KEY_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
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
 * the "bare put" baseline in benchmarks. Holds no personal data.
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

  @Transaction()
  async put(ctx: Context, key: string, value: string): Promise<void> {
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
      writerMspId: ctx.clientIdentity.getMSPID(),
      txId: ctx.stub.getTxID(),
      txTime: txTimeIso(ctx),
    };
    const bytes = Buffer.from(canonicalJson(record));
    await ctx.stub.putState(ctx.stub.createCompositeKey(OBJECT_TYPE, [key]), bytes);
    emit(ctx, Events.PROBE_VALUE_SET, { key, txId: record.txId });
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, key: string): Promise<string> {
    if (!KEY_PATTERN.test(key)) {
      throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid probe key', {
        problems: [`key must match ${KEY_PATTERN.source}`],
      });
    }
    const bytes = await ctx.stub.getState(ctx.stub.createCompositeKey(OBJECT_TYPE, [key]));
    if (bytes.length === 0) {
      throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no probe value for key ${key}`, { key });
    }
    return Buffer.from(bytes).toString('utf8');
  }
}
