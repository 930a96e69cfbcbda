import { expect } from 'chai';
import { createReceiptBatcher, GatewayError, type LedgerClient, type ReceiptInput, type SubmitOptions } from '@kyc-ledger/gateway';
import { receipt } from './receiptFixture';

/**
 * A ledger that answers consent:recordBatch the way the chaincode does: receipts from the transient
 * map, one outcome per receipt (a session this bank used before, or twice in a batch, fails alone;
 * `bad` hashes fail as bad input), and a failed transaction when no receipt is recorded.
 */
function recordingLedger(used: string[] = [], bad: string[] = []) {
  const batches: ReceiptInput[][] = [];
  const calls: { args: string[]; options: SubmitOptions | undefined }[] = [];
  const recorded = new Set(used);
  const ledger = {
    async submit<T>(fn: string, args: string[], options?: SubmitOptions) {
      expect(fn).to.equal('consent:recordBatch');
      calls.push({ args, options });
      const items = JSON.parse(Buffer.from(options?.transientData?.receipts ?? []).toString()) as ReceiptInput[];
      const results = items.map((r) => {
        if (bad.includes(r.sessionIdHash)) return { recorded: false, code: 'INVALID_ARGUMENT', fields: ['subject'] };
        if (recorded.has(r.sessionIdHash)) return { recorded: false, code: 'SESSION_ALREADY_USED' };
        recorded.add(r.sessionIdHash);
        return { recorded: true };
      });
      const count = results.filter((r) => r.recorded).length;
      if (count === 0) throw new GatewayError(results[0]?.code ?? 'INTERNAL', 'none recorded', { details: { results } });
      batches.push(items);
      return { result: { recorded: count, results } as T, transactionId: `tx${batches.length}` };
    },
    async evaluate<T>(): Promise<T> {
      throw new Error('not used');
    },
    async ping() {},
  } as unknown as LedgerClient;
  return { ledger, batches, calls };
}

describe('gateway receipt batcher', function () {
  it('records concurrent receipts in few transactions, privately: transient data only, endorsed by the bank alone', async function () {
    const { ledger, batches, calls } = recordingLedger();
    const batcher = createReceiptBatcher(ledger, 'Bank1MSP', { maxBatch: 10, maxDelayMs: 20 });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => batcher.record(receipt(i))));
    expect(batches.map((b) => b.length)).to.deep.equal([10, 10, 5]);
    expect(results.map((r) => r.transactionId)).to.deep.equal([...Array(10).fill('tx1'), ...Array(10).fill('tx2'), ...Array(5).fill('tx3')]);
    expect(batches.flat().map((r) => r.sessionIdHash)).to.have.members(Array.from({ length: 25 }, (_, i) => receipt(i).sessionIdHash));
    for (const call of calls) {
      expect(call.args).to.deep.equal([]);
      expect(call.options?.endorsingOrganizations).to.deep.equal(['Bank1MSP']);
    }
  });

  it('answers each waiting request with its own receipt\'s outcome; batch-mates of a failing receipt commit in the same transaction', async function () {
    const { ledger, batches } = recordingLedger([receipt(3).sessionIdHash], [receipt(5).sessionIdHash]);
    const batcher = createReceiptBatcher(ledger, 'Bank1MSP', { maxBatch: 100, maxDelayMs: 5 });
    const outcomes = await Promise.allSettled([0, 1, 2, 3, 4, 5, 1].map((i) => batcher.record(receipt(i))));
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'rejected']);
    expect((outcomes[3] as PromiseRejectedResult).reason).to.include({ code: 'SESSION_ALREADY_USED', transactionId: 'tx1' });
    expect((outcomes[5] as PromiseRejectedResult).reason).to.include({ code: 'INVALID_ARGUMENT' });
    expect((outcomes[5] as PromiseRejectedResult).reason.details).to.deep.equal({ fields: ['subject'] });
    expect((outcomes[6] as PromiseRejectedResult).reason).to.have.property('code', 'SESSION_ALREADY_USED');
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<{ transactionId: string }>).value.transactionId)).to.deep.equal(['tx1', 'tx1', 'tx1', 'tx1']);
    expect(batches).to.have.length(1);
    await batcher.drain();
  });

  it('when no receipt of a batch is recorded, each gets its own error from the failed transaction', async function () {
    const { ledger, batches } = recordingLedger([receipt(1).sessionIdHash], [receipt(2).sessionIdHash]);
    const batcher = createReceiptBatcher(ledger, 'Bank1MSP', { maxBatch: 2, maxDelayMs: 5 });
    const outcomes = await Promise.allSettled([batcher.record(receipt(1)), batcher.record(receipt(2))]);
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason.code)).to.deep.equal(['SESSION_ALREADY_USED', 'INVALID_ARGUMENT']);
    expect(batches).to.have.length(0);
  });

  it('fails every receipt of a batch the ledger could not take at all', async function () {
    const down = new GatewayError('UPSTREAM_UNAVAILABLE', 'the ledger did not answer');
    const ledger = { submit: async () => { throw down; } } as unknown as LedgerClient;
    const batcher = createReceiptBatcher(ledger, 'Bank1MSP', { maxBatch: 3, maxDelayMs: 5 });
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => batcher.record(receipt(i))));
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason)).to.deep.equal([down, down, down]);
  });
});
