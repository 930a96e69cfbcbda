import { expect } from 'chai';
import { createReceiptBatcher, GatewayError, type LedgerClient, type ReceiptInput } from '@kyc-ledger/gateway';

const receipt = (n: number): ReceiptInput => ({
  sessionIdHash: n.toString(16).padStart(64, '0'),
  subject: 'eip155:1:0x0000000000000000000000000000000000000001',
  attestationId: 'ab'.repeat(32),
  result: 'verified',
  reasons: [],
  consentHash: 'cd'.repeat(32),
});

/** A ledger that records each consent:recordBatch call; `used` hashes are refused like the chaincode does. */
function recordingLedger(used: string[] = []) {
  const batches: ReceiptInput[][] = [];
  const ledger = {
    async submit<T>(fn: string, args: string[]) {
      expect(fn).to.equal('consent:recordBatch');
      const items = JSON.parse(args[0] as string) as ReceiptInput[];
      const taken = items.find((r) => used.includes(r.sessionIdHash));
      if (taken) throw new GatewayError('SESSION_ALREADY_USED', 'used', { details: { sessionIdHash: taken.sessionIdHash } });
      batches.push(items);
      return { result: undefined as T, transactionId: `tx${batches.length}` };
    },
    async evaluate<T>(): Promise<T> {
      throw new Error('not used');
    },
    async ping() {},
  } as unknown as LedgerClient;
  return { ledger, batches };
}

describe('gateway receipt batcher', function () {
  it('records concurrent receipts in few transactions, answering each with its transaction id', async function () {
    const { ledger, batches } = recordingLedger();
    const batcher = createReceiptBatcher(ledger, { maxBatch: 10, maxDelayMs: 20 });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => batcher.record(receipt(i))));
    expect(batches.map((b) => b.length)).to.deep.equal([10, 10, 5]);
    expect(results.map((r) => r.transactionId)).to.deep.equal([...Array(10).fill('tx1'), ...Array(10).fill('tx2'), ...Array(5).fill('tx3')]);
    expect(batches.flat().map((r) => r.sessionIdHash)).to.have.members(Array.from({ length: 25 }, (_, i) => receipt(i).sessionIdHash));
  });

  it('fails only the receipt of a used session and records the rest of its batch', async function () {
    const { ledger, batches } = recordingLedger([receipt(3).sessionIdHash]);
    const batcher = createReceiptBatcher(ledger, { maxBatch: 100, maxDelayMs: 5 });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => batcher.record(receipt(i))));
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[3] as PromiseRejectedResult).reason).to.have.property('code', 'SESSION_ALREADY_USED');
    expect(batches).to.have.length(1);
    expect(batches[0]?.map((r) => r.sessionIdHash)).to.not.include(receipt(3).sessionIdHash);
    await batcher.drain();
  });
});
