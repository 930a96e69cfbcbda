import { expect } from 'chai';
import type { RegistryAction } from '@kyc-ledger/api';
import { createRegistryBatcher, GatewayError, type LedgerClient } from '@kyc-ledger/gateway';

const address = (n: number) => `eip155:1:0x${n.toString(16).padStart(40, '0')}`;
const freeze = (n: number): RegistryAction => ({ action: 'freeze', address: address(n) });
const deregister = (n: number): RegistryAction => ({ action: 'deregister', address: address(n) });

/**
 * A ledger that answers registration:batch the way the chaincode does: actions in order, each on
 * its own (an address is registered or frozen as earlier actions left it), consecutive sequence
 * numbers per asset, and a failed transaction naming every outcome when none applies. `conflicts`
 * batches lose an MVCC race at commit first (nothing applied), as a peer reports it.
 */
function registryLedger(registered: number[], conflicts = 0) {
  const state = new Map(registered.map((n) => [address(n), { frozen: false, registered: true }]));
  const heads = new Map<string, number>();
  const submits: { asset: string; actions: RegistryAction[] }[] = [];
  let tx = 0;
  let toConflict = conflicts;
  const ledger = {
    async submit<T>(fn: string, args: string[]) {
      expect(fn).to.equal('registration:batch');
      const input = JSON.parse(args[0] as string) as { asset: string; actions: RegistryAction[] };
      submits.push(input);
      const transactionId = `tx${++tx}`;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (toConflict-- > 0) {
        throw new GatewayError('CONFLICT', 'the transaction conflicted with a concurrent one; retry it', { details: { fn, validationCode: 11 }, transactionId });
      }
      const working = new Map([...state].map(([k, v]) => [k, { ...v }]));
      let head = heads.get(input.asset) ?? 0;
      const results = input.actions.map((action) => {
        const key = 'address' in action ? action.address : action.from;
        const reg = working.get(key);
        if (!reg?.registered) return { ok: false, code: 'NOT_FOUND', message: `${key} is not registered` };
        if (action.action === 'freeze') {
          if (reg.frozen) return { ok: false, code: 'CONFLICT', message: `${key} is already frozen`, details: { address: key } };
          reg.frozen = true;
        } else reg.registered = false;
        return { ok: true, registration: { asset: input.asset, address: key, frozen: reg.frozen, status: reg.registered ? 'registered' : 'deregistered' }, seqs: [++head] };
      });
      if (!results.some((r) => r.ok)) throw new GatewayError((results[0] as { code: string }).code, 'no action of the batch was applied', { details: { results }, transactionId });
      for (const [k, v] of working) state.set(k, v);
      heads.set(input.asset, head);
      return { result: { asset: input.asset, applied: results.filter((r) => r.ok).length, results } as T, transactionId, blockNumber: BigInt(tx) };
    },
  } as unknown as LedgerClient;
  return { ledger, submits };
}

describe('gateway registry batcher', function () {
  it('coalesces concurrent writes of one asset into one transaction and answers each with its own outcome', async function () {
    const { ledger, submits } = registryLedger([1, 2, 3, 4]);
    const blocks: bigint[] = [];
    const batcher = createRegistryBatcher(ledger, { maxDelayMs: 20, committed: (b) => blocks.push(b) });
    const outcomes = await Promise.allSettled([freeze(1), freeze(2), freeze(9), freeze(1), deregister(3), deregister(4)].map((a) => batcher.apply('BOND-1', a)));
    expect(submits).to.have.length(1);
    expect(submits[0]?.actions).to.have.length(6);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    const values = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(values.map((v) => v.transactionId)).to.deep.equal(['tx1', 'tx1', 'tx1', 'tx1']);
    expect(values.map((v) => v.result.address)).to.deep.equal([address(1), address(2), address(3), address(4)]);
    const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as GatewayError] : []));
    expect(errors.map((e) => [e.code, e.transactionId])).to.deep.equal([['NOT_FOUND', 'tx1'], ['CONFLICT', 'tx1']]);
    expect(errors[1]?.details).to.deep.equal({ address: address(1) });
    expect(blocks).to.deep.equal([1n]);
  });

  it('keeps one batch per asset in flight: writes arriving meanwhile form the next batch; other assets go their own way', async function () {
    const { ledger, submits } = registryLedger([1, 2, 3, 4, 5]);
    const batcher = createRegistryBatcher(ledger, { maxDelayMs: 1 });
    const first = batcher.apply('BOND-1', freeze(1));
    await new Promise((resolve) => setTimeout(resolve, 3));
    const later = [2, 3, 4].map((n) => batcher.apply('BOND-1', freeze(n)));
    const other = batcher.apply('EQ-1', freeze(5));
    await Promise.all([first, ...later, other]);
    const sizes = (asset: string) => submits.filter((s) => s.asset === asset).map((s) => s.actions.length);
    expect(sizes('BOND-1')).to.deep.equal([1, 3]);
    expect(sizes('EQ-1')).to.deep.equal([1]);
    await batcher.drain();
  });

  it('splits at maxBatch', async function () {
    const { ledger, submits } = registryLedger(Array.from({ length: 7 }, (_, i) => i));
    const batcher = createRegistryBatcher(ledger, { maxBatch: 3, maxDelayMs: 50 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => batcher.apply('BOND-1', freeze(i))));
    expect(submits.map((s) => s.actions.length)).to.deep.equal([3, 3, 1]);
  });

  it('submits a batch again after an MVCC conflict, and gives up after the last attempt', async function () {
    const retried = registryLedger([1, 2], 2);
    const batcher = createRegistryBatcher(retried.ledger, { maxDelayMs: 5, attempts: 3 });
    const values = await Promise.all([batcher.apply('BOND-1', freeze(1)), batcher.apply('BOND-1', freeze(2))]);
    expect(retried.submits).to.have.length(3);
    expect(values.map((v) => v.transactionId)).to.deep.equal(['tx3', 'tx3']);

    const lost = registryLedger([1], 5);
    const giveUp = createRegistryBatcher(lost.ledger, { maxDelayMs: 5, attempts: 2 });
    const error = await giveUp.apply('BOND-1', freeze(1)).then(() => undefined, (e: unknown) => e as GatewayError);
    expect(error).to.include({ code: 'CONFLICT' });
    expect(lost.submits).to.have.length(2);
  });

  it('does not retry a batch the chaincode refused (every action failed): each gets its own error', async function () {
    const { ledger, submits } = registryLedger([1]);
    const batcher = createRegistryBatcher(ledger, { maxDelayMs: 5 });
    await batcher.apply('BOND-1', freeze(1));
    const outcomes = await Promise.allSettled([batcher.apply('BOND-1', freeze(1)), batcher.apply('BOND-1', freeze(7))]);
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason.code)).to.deep.equal(['CONFLICT', 'NOT_FOUND']);
    expect(submits).to.have.length(2);
  });

  it('fails every action of a batch the ledger could not take at all', async function () {
    const down = new GatewayError('UPSTREAM_UNAVAILABLE', 'the ledger did not answer');
    const ledger = { submit: async () => { throw down; } } as unknown as LedgerClient;
    const batcher = createRegistryBatcher(ledger, { maxDelayMs: 5 });
    const outcomes = await Promise.allSettled([1, 2].map((n) => batcher.apply('BOND-1', freeze(n))));
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason)).to.deep.equal([down, down]);
  });
});
