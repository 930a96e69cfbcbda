import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import type { Caller } from './caller';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes } from './errors';
import { Events } from './events';
import { parseInput } from './parseInput';
import { requireRole } from './registryContract';
import { emit, readJson, writeJson, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const code = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an error code');

const receiptInputSchema = z.strictObject({
  /** sha256 of the session id: the receipt proves the session was used without naming it. */
  sessionIdHash: hex64,
  subject: z.string().min(3).max(200),
  attestationId: hex64,
  result: z.enum(['verified', 'rejected']),
  reasons: z.array(code).max(64),
  /** sha256 of the consent statement the person signed. */
  consentHash: hex64,
});

type ReceiptInput = z.output<typeof receiptInputSchema>;

export interface Receipt extends ReceiptInput {
  bank: string;
  txId: string;
  recordedAt: string;
}

/**
 * Consent receipts: a bank's record that a person consented to a verification session, with its
 * outcome. Hashes and the address only; a session id can be used once.
 */
@Info({ title: 'Consent', description: 'One-time verification session receipts (hashes only)' })
export class ConsentContract extends Contract {
  constructor() {
    super('consent');
  }

  @Transaction()
  @Returns('string')
  async record(ctx: Context, input: string): Promise<string> {
    const caller = await requireRole(ctx, 'bank');
    const receipt = await this.#record(ctx, caller, parseInput(receiptInputSchema, input, 'receipt'));
    emit(ctx, Events.CONSENT_RECORDED, { sessionIdHashes: [receipt.sessionIdHash], bank: caller.mspId });
    return canonicalJson(receipt);
  }

  /** Receipts batched by the bank; all or nothing (one used session id fails the batch). */
  @Transaction()
  @Returns('string')
  async recordBatch(ctx: Context, input: string): Promise<string> {
    const caller = await requireRole(ctx, 'bank');
    const items = parseInput(z.array(receiptInputSchema).min(1).max(5000), input, 'receipt batch');
    const hashes = items.map((r) => r.sessionIdHash);
    const repeated = hashes.filter((h, i) => hashes.indexOf(h) !== i);
    if (repeated.length > 0) throw new ChaincodeError(ErrorCodes.SESSION_ALREADY_USED, 'a session appears twice in the batch', { sessionIdHashes: repeated });
    for (const item of items) await this.#record(ctx, caller, item);
    emit(ctx, Events.CONSENT_RECORDED, { sessionIdHashes: hashes, bank: caller.mspId });
    return canonicalJson({ recorded: items.length, ids: hashes });
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, sessionIdHash: string): Promise<string> {
    if (!hex64.safeParse(sessionIdHash).success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid session id hash', { problems: ['sessionIdHash: must be 64 lower-case hex digits'] });
    const receipt = await readJson<Receipt>(ctx, ObjectTypes.RECEIPT, sessionIdHash);
    if (!receipt) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no receipt for session ${sessionIdHash}`);
    return canonicalJson(receipt);
  }

  async #record(ctx: Context, caller: Caller, input: ReceiptInput): Promise<Receipt> {
    if (await readJson<Receipt>(ctx, ObjectTypes.RECEIPT, input.sessionIdHash)) {
      throw new ChaincodeError(ErrorCodes.SESSION_ALREADY_USED, `session ${input.sessionIdHash} has a receipt already`, { sessionIdHash: input.sessionIdHash });
    }
    if (input.result === 'verified' && !(await readJson(ctx, ObjectTypes.ATTESTATION, input.attestationId))) {
      throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no attestation ${input.attestationId}`);
    }
    const receipt: Receipt = { ...input, bank: caller.mspId, txId: ctx.stub.getTxID(), recordedAt: txTimeIso(ctx) };
    await writeJson(ctx, receipt, ObjectTypes.RECEIPT, input.sessionIdHash);
    return receipt;
  }
}
