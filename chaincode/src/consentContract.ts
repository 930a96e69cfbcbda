import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import type { Caller } from './caller';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes, type ErrorCode } from './errors';
import { Events } from './events';
import { implicitOrgCollection } from '@kyc-ledger/api';
import { parseValue, parseJsonArgument } from './parseInput';
import { requireRole } from './registryContract';
import { emit, stateKey, ObjectTypes } from './state';
import { txTimeIso } from './txTime';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const code = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an error code');

/** The transient-map fields carrying receipts, so their content never enters the transaction. */
export const RECEIPT_TRANSIENT_KEY = 'receipt';
export const RECEIPTS_TRANSIENT_KEY = 'receipts';

/** Most receipts one `consent:recordBatch` takes. */
export const MAX_RECEIPT_BATCH = 5000;

export const receiptInputSchema = z.strictObject({
  /** sha256 of the session id: the receipt proves the session was used without naming it. */
  sessionIdHash: hex64,
  subject: z.string().min(3).max(200),
  attestationId: hex64,
  result: z.enum(['verified', 'rejected']),
  reasons: z.array(code).max(64),
  /** sha256 of the consent statement the person signed. */
  consentHash: hex64,
  /**
   * 32 random bytes from the bank. Every other field can be guessed by whoever saw the session's
   * QR code (the address and attestation from the registry, the consent from the session), and the
   * block holds the receipt's value hash: without the salt, that hash would confirm a guess of whom
   * the bank verified.
   */
  salt: hex64,
});

export type ReceiptInput = z.output<typeof receiptInputSchema>;

/** A receipt as stored in the recording bank's implicit collection (canonical JSON). */
export interface Receipt extends ReceiptInput {
  bank: string;
  txId: string;
  recordedAt: string;
}

/**
 * One item's outcome, in input order. It goes into the block with the transaction's response, so
 * it names no session, person, attestation or verdict: only whether the item was recorded and, if
 * not, its error code (and, for bad input, the names of the offending fields).
 */
export type ReceiptOutcome = { recorded: true } | { recorded: false; code: ErrorCode; fields?: string[] };

/** The answer of `consent:record` and `consent:recordBatch`. */
export interface ReceiptBatchResult {
  recorded: number;
  results: ReceiptOutcome[];
}

function transientJson(ctx: Context, key: string): unknown {
  const bytes = ctx.stub.getTransient().get(key);
  if (!bytes || bytes.length === 0) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `the receipts must be sent as transient data under "${key}"`, { problems: [`transient.${key}: missing`] });
  }
  return parseJsonArgument(Buffer.from(bytes).toString('utf8'), 'receipt');
}

function receiptKey(ctx: Context, bank: string, sessionIdHash: string): string {
  return stateKey(ctx, ObjectTypes.RECEIPT, bank, sessionIdHash);
}

/**
 * Consent receipts: a bank's record that a person consented to a verification session, with its
 * outcome. Each bank's receipts live in its own implicit private data collection, keyed by (bank MSP,
 * session-id hash); the channel sees only Fabric's hashes of key and value. A session can be used
 * once per bank, and only that bank's receipts count, so no other org can use up a bank's session.
 *
 * A receipt transaction writes private data only, so it is valid when endorsed by the recording
 * bank's peers alone (its implicit collection's policy) and the receipt, sent in the transient map,
 * never reaches another org's peer. Callers must therefore name their own org as the only
 * endorser. The attestation is not read here: a public read would put its id in the block's read
 * set; the gateway checks the attestation (an evaluation, never in a block) before recording.
 */
@Info({ title: 'Consent', description: 'One-time verification session receipts, private to the recording bank' })
export class ConsentContract extends Contract {
  constructor() {
    super('consent');
  }

  /** One receipt from transient `receipt`; fails with the receipt's own error when not recorded. */
  @Transaction()
  @Returns('string')
  async record(ctx: Context): Promise<string> {
    const caller = await requireRole(ctx, 'bank');
    return this.#recordAll(ctx, caller, [transientJson(ctx, RECEIPT_TRANSIENT_KEY)]);
  }

  /**
   * Receipts from transient `receipts` (a JSON array), each with its own outcome: a failing item
   * (session already used by this bank, a duplicate within the batch, bad input) fails alone and
   * its batch-mates are recorded. When none is recorded the transaction fails (it would write
   * nothing), with every outcome in the error's details.
   */
  @Transaction()
  @Returns('string')
  async recordBatch(ctx: Context): Promise<string> {
    const caller = await requireRole(ctx, 'bank');
    const items = parseValue(z.array(z.unknown()).min(1).max(MAX_RECEIPT_BATCH), transientJson(ctx, RECEIPTS_TRANSIENT_KEY), 'receipt batch');
    return this.#recordAll(ctx, caller, items);
  }

  /** The caller's own receipt for a session, exactly as stored (its sha256 is the on-chain value hash). */
  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, sessionIdHash: string): Promise<string> {
    if (!hex64.safeParse(sessionIdHash).success) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid session id hash', { problems: ['sessionIdHash: must be 64 lower-case hex digits'] });
    const bank = ctx.clientIdentity.getMSPID();
    const bytes = await ctx.stub.getPrivateData(implicitOrgCollection(bank), receiptKey(ctx, bank, sessionIdHash));
    if (!bytes || bytes.length === 0) throw new ChaincodeError(ErrorCodes.NOT_FOUND, `no receipt of ${bank} for session ${sessionIdHash}`);
    return Buffer.from(bytes).toString('utf8');
  }

  async #recordAll(ctx: Context, caller: Caller, items: unknown[]): Promise<string> {
    // Receipts come in the transient data, which every endorsing peer sees: only the recording
    // bank's own peers may endorse, so a misrouted proposal fails here and no other org's peer
    // keeps the receipt in its transient store.
    const peer = ctx.stub.getMspID();
    if (peer !== caller.mspId) {
      throw new ChaincodeError(ErrorCodes.FORBIDDEN, `a receipt of ${caller.mspId} is endorsed by its own peers only, not by a peer of ${peer}`, { bank: caller.mspId, peer });
    }
    const collection = implicitOrgCollection(caller.mspId);
    // A transaction does not read its own writes, so sessions earlier in this batch are tracked here.
    const seen = new Set<string>();
    const results: ReceiptOutcome[] = [];
    for (const raw of items) {
      const parsed = receiptInputSchema.safeParse(raw);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join('.') || '(root)'))];
        results.push({ recorded: false, code: ErrorCodes.INVALID_ARGUMENT, fields });
        continue;
      }
      const input = parsed.data;
      const key = receiptKey(ctx, caller.mspId, input.sessionIdHash);
      if (seen.has(input.sessionIdHash) || ((await ctx.stub.getPrivateData(collection, key))?.length ?? 0) > 0) {
        results.push({ recorded: false, code: ErrorCodes.SESSION_ALREADY_USED });
        continue;
      }
      seen.add(input.sessionIdHash);
      const receipt: Receipt = { ...input, bank: caller.mspId, txId: ctx.stub.getTxID(), recordedAt: txTimeIso(ctx) };
      await ctx.stub.putPrivateData(collection, key, Buffer.from(canonicalJson(receipt)));
      results.push({ recorded: true });
    }
    const recorded = results.filter((r) => r.recorded).length;
    if (recorded === 0) {
      // Nothing to write: a transaction without writes would be checked against the chaincode's
      // policy, which the bank's peers alone do not meet, so it fails here, before ordering.
      const first = results[0] as Extract<ReceiptOutcome, { recorded: false }>;
      throw new ChaincodeError(first.code, items.length === 1 ? 'the receipt was not recorded' : 'no receipt of the batch was recorded', { results });
    }
    emit(ctx, Events.CONSENT_RECORDED, { recorded });
    return canonicalJson({ recorded, results } satisfies ReceiptBatchResult);
  }
}
