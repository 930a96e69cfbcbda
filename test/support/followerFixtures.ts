import type { BlockSource, FollowerBatch, FollowerDb, LedgerFollowerSink } from '@kyc-ledger/follower';

/** A block of the test chain: block n writes key `k<n mod 7>` and adds n to a running sum. */
export interface TestBlock {
  number: bigint;
  key: string;
  value: string;
}

export const testBlock = (n: number): TestBlock => ({ number: BigInt(n), key: `k${n % 7}`, value: `v${n}` });

/**
 * A source over a fixed chain of `total` blocks: streams from the start block, awaiting each
 * block's handling, then stays open until aborted. `starts` records where each stream began.
 */
export function chainSource(total: number, options: { delayMs?: number } = {}): Required<BlockSource<TestBlock>> & { starts: bigint[] } {
  const starts: bigint[] = [];
  return {
    starts,
    async watch(start, onBlock, signal, onOpen) {
      starts.push(start);
      onOpen?.();
      for (let n = Number(start); n < total && !signal.aborted; n++) {
        await onBlock(testBlock(n));
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      }
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    },
    async chainHeight() {
      return BigInt(total);
    },
  };
}

/**
 * A sink keeping each key's latest value (idempotent) and, as a probe, a running sum and count
 * updated by read-modify-write: applying a block twice would show in them, so they prove that a
 * block's effects and the checkpoint land together.
 */
export function testSink(db: FollowerDb, options: { probe?: boolean } = {}): LedgerFollowerSink<TestBlock> & { state(): Promise<Record<string, string>> } {
  const values = db.sublevel<string, string>('values', { valueEncoding: 'utf8' });
  const probe = db.sublevel<string, string>('probe', { valueEncoding: 'utf8' });
  return {
    async applyBlock(block: TestBlock, batch: FollowerBatch) {
      batch.put(block.key, block.value, { sublevel: values });
      if (options.probe) {
        const [sum, count] = await probe.getMany(['sum', 'count']);
        batch.put('sum', String(Number(sum ?? 0) + Number(block.number)), { sublevel: probe });
        batch.put('count', String(Number(count ?? 0) + 1), { sublevel: probe });
      }
    },
    async state() {
      const out: Record<string, string> = {};
      for await (const [k, v] of values.iterator()) out[`values/${k}`] = v;
      for await (const [k, v] of probe.iterator()) out[`probe/${k}`] = v;
      return out;
    },
  };
}
