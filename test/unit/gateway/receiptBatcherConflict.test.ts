import { expect } from 'chai';
import { createReceiptBatcher, GatewayError, type LedgerClient, type ReceiptInput, type SubmitOptions } from '@kyc-ledger/gateway';
import { receipt } from './receiptFixture';

interface Endorsed {
  reads: Map<string, number>;
  writes: string[];
  settle(error?: unknown): void;
}

/**
 * A ledger shared by several gateway instances that behaves like Fabric for consent:recordBatch:
 * each transaction is simulated (endorsed) against the committed state when submitted, reading
 * every receipt key's version; transactions wait for the next block, which the test cuts; at
 * commit, a transaction whose read versions changed since its simulation is invalidated as a whole
 * (MVCC_READ_CONFLICT, which the gateway's Fabric client answers as CONFLICT) and writes nothing.
 */
function fabricLikeLedger() {
  const versions = new Map<string, number>();
  let pending: Endorsed[] = [];
  let txCount = 0;
  const ledger = {
    async submit<T>(fn: string, _args: string[], options?: SubmitOptions) {
      expect(fn).to.equal('consent:recordBatch');
      const items = JSON.parse(Buffer.from(options?.transientData?.receipts ?? []).toString()) as ReceiptInput[];
      const reads = new Map<string, number>();
      const writes: string[] = [];
      // Like the chaincode: a key read, a receipt already there (or twice in the batch) fails alone.
      const results = items.map((r) => {
        reads.set(r.sessionIdHash, versions.get(r.sessionIdHash) ?? 0);
        if ((versions.get(r.sessionIdHash) ?? 0) > 0 || writes.includes(r.sessionIdHash)) return { recorded: false, code: 'SESSION_ALREADY_USED' };
        writes.push(r.sessionIdHash);
        return { recorded: true };
      });
      const recorded = results.filter((r) => r.recorded).length;
      if (recorded === 0) throw new GatewayError('SESSION_ALREADY_USED', 'no receipt of the batch was recorded', { details: { results } });
      const transactionId = `tx${++txCount}`;
      await new Promise<void>((resolve, reject) => pending.push({ reads, writes, settle: (error) => (error ? reject(error) : resolve()) }));
      return { result: { recorded, results } as T, transactionId };
    },
    async evaluate<T>(): Promise<T> {
      throw new Error('not used');
    },
    async ping() {},
    close() {},
    /** Transactions endorsed and waiting for a block. */
    get pending() {
      return pending.length;
    },
    /** Orders every waiting transaction into one block and validates them in order. */
    cutBlock() {
      const block = pending;
      pending = [];
      for (const tx of block) {
        const stale = [...tx.reads].some(([key, version]) => (versions.get(key) ?? 0) !== version);
        if (stale) {
          tx.settle(new GatewayError('CONFLICT', 'the transaction conflicted with a concurrent one; retry it', { details: { validationCode: 11 } }));
          continue;
        }
        for (const key of tx.writes) versions.set(key, (versions.get(key) ?? 0) + 1);
        tx.settle();
      }
    },
    versions,
  };
  return ledger;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(condition(), 'condition not reached').to.equal(true);
}

const outcome = (p: Promise<{ transactionId: string }>) => p.then((r) => `ok ${r.transactionId}`, (e: GatewayError) => e.code);

describe('gateway receipt batcher: two instances taking the same session at once', function () {
  it('sends a batch invalidated by a read conflict again: the duplicate fails alone, its batch-mates commit', async function () {
    const ledger = fabricLikeLedger();
    const a = createReceiptBatcher(ledger as unknown as LedgerClient, 'Bank1MSP', { maxDelayMs: 1 });
    const b = createReceiptBatcher(ledger as unknown as LedgerClient, 'Bank1MSP', { maxDelayMs: 1 });
    const atA = [1, 2, 3].map((n) => outcome(a.record(receipt(n))));
    await until(() => ledger.pending === 1);
    // Session 3 is taken at B too, endorsed before A's batch commits.
    const atB = [3, 4, 5].map((n) => outcome(b.record(receipt(n))));
    await until(() => ledger.pending === 2);
    ledger.cutBlock();
    // B's batch conflicted as a whole (on session 3) and was sent again.
    await until(() => ledger.pending === 1);
    ledger.cutBlock();
    expect(await Promise.all(atA)).to.deep.equal(['ok tx1', 'ok tx1', 'ok tx1']);
    expect(await Promise.all(atB)).to.deep.equal(['SESSION_ALREADY_USED', 'ok tx3', 'ok tx3']);
    expect([...ledger.versions.values()]).to.deep.equal([1, 1, 1, 1, 1]);
  });

  it('gives up after maxConflictRetries, answering CONFLICT to each receipt of the batch', async function () {
    const ledger = fabricLikeLedger();
    const a = createReceiptBatcher(ledger as unknown as LedgerClient, 'Bank1MSP', { maxDelayMs: 1 });
    const b = createReceiptBatcher(ledger as unknown as LedgerClient, 'Bank1MSP', { maxDelayMs: 1, maxConflictRetries: 0 });
    const atA = outcome(a.record(receipt(7)));
    await until(() => ledger.pending === 1);
    const atB = [7, 8].map((n) => outcome(b.record(receipt(n))));
    await until(() => ledger.pending === 2);
    ledger.cutBlock();
    expect(await atA).to.equal('ok tx1');
    expect(await Promise.all(atB)).to.deep.equal(['CONFLICT', 'CONFLICT']);
    expect(ledger.versions.has(receipt(8).sessionIdHash)).to.equal(false);
  });
});
