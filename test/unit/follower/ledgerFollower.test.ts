import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';
import { createLedgerFollower, readCheckpoint, writeCheckpoint, type FollowerBatch, type FollowerDb, type LedgerFollower } from '@kyc-ledger/follower';
import { chainSource, testSink, type TestBlock } from '../../support/followerFixtures';

const until = async (done: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

async function runToEnd(db: FollowerDb, total: number, options: { probe?: boolean } = {}): Promise<{ follower: LedgerFollower; source: ReturnType<typeof chainSource> }> {
  const source = chainSource(total);
  const follower = createLedgerFollower({ db, name: 'test', source, sink: testSink(db, options), retryMs: 5, heightCheckMs: 20 });
  await until(() => follower.checkpoint === BigInt(total) && follower.caughtUp);
  return { follower, source };
}

/** The state of an uninterrupted run of `total` blocks, from a fresh store. */
async function referenceState(total: number, options: { probe?: boolean } = {}) {
  const db = new MemoryLevel<string, string>();
  const { follower } = await runToEnd(db, total, options);
  await follower.close();
  return testSink(db).state();
}

describe('follower createLedgerFollower (durable checkpoint)', function () {
  it('writes the next block as checkpoint with each block and resumes there after a restart, not at block 0', async function () {
    const db = new MemoryLevel<string, string>();
    const first = await runToEnd(db, 12);
    expect(first.follower.resumedFrom).to.equal(0n);
    expect(first.follower.blocksApplied).to.equal(12);
    await first.follower.close();
    expect(await readCheckpoint(db, 'test')).to.equal(12n);

    const second = await runToEnd(db, 20, { probe: false });
    expect(second.source.starts[0]).to.equal(12n);
    expect(second.follower.resumedFrom).to.equal(12n);
    expect(second.follower.blocksApplied).to.equal(8);
    await second.follower.close();
    expect(await testSink(db).state()).to.deep.equal(await referenceState(20));
  });

  it('writes nothing of a block whose sink fails, and retries it with back-off until it succeeds, losing nothing', async function () {
    const db = new MemoryLevel<string, string>();
    const inner = testSink(db, { probe: true });
    let failures = 0;
    const failing = {
      async applyBlock(block: TestBlock, batch: FollowerBatch) {
        await inner.applyBlock(block, batch);
        // Fails after adding its effects to the batch: they must not land.
        if (block.number === 5n && failures < 3) {
          failures++;
          throw new Error('sink down');
        }
      },
    };
    const errors: unknown[] = [];
    const follower = createLedgerFollower({ db, name: 'test', source: chainSource(10), sink: failing, retryMs: 5, heightCheckMs: 20, onError: (e) => errors.push(e) });
    await until(() => failures === 1);
    expect(await readCheckpoint(db, 'test')).to.equal(5n);
    await until(() => follower.checkpoint === 10n && follower.caughtUp);
    expect(follower.sinkErrors).to.equal(3);
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['sink down', 'sink down', 'sink down']);
    await follower.close();
    expect(await inner.state()).to.deep.equal(await referenceState(10, { probe: true }));
  });

  it('is not caught up while a sink keeps failing, and never moves past the failing block', async function () {
    const db = new MemoryLevel<string, string>();
    const follower = createLedgerFollower({
      db, name: 'test', source: chainSource(6), retryMs: 5, maxBackoffMs: 10, heightCheckMs: 10,
      sink: { applyBlock: (block) => { if (block.number === 3n) throw new Error('always'); } },
    });
    await until(() => follower.sinkErrors >= 5);
    expect(follower.checkpoint).to.equal(3n);
    expect(follower.caughtUp).to.equal(false);
    await follower.close();
    expect(await readCheckpoint(db, 'test')).to.equal(3n);
  });

  it('re-applies harmlessly from a rewound checkpoint', async function () {
    const db = new MemoryLevel<string, string>();
    await (await runToEnd(db, 30)).follower.close();
    await writeCheckpoint(db, 'test', 4n);
    const again = await runToEnd(db, 30);
    expect(again.source.starts[0]).to.equal(4n);
    expect(again.follower.blocksApplied).to.equal(26);
    await again.follower.close();
    expect(await testSink(db).state()).to.deep.equal(await referenceState(30));
  });

  it('skips blocks a source repeats and reopens the stream at the checkpoint after a gap', async function () {
    const db = new MemoryLevel<string, string>();
    const starts: bigint[] = [];
    const errors: string[] = [];
    let opened = 0;
    const follower = createLedgerFollower<TestBlock>({
      db, name: 'test', retryMs: 5, heightCheckMs: 10, sink: testSink(db, { probe: true }), onError: (e) => errors.push((e as { code?: string }).code ?? String(e)),
      source: {
        async watch(start, onBlock, signal, onOpen) {
          starts.push(start);
          onOpen?.();
          opened++;
          // First stream: 0, 1, 1 (repeat), 3 (gap). Later streams: from the start, in order.
          const order = opened === 1 ? [0, 1, 1, 3] : [Number(start), Number(start) + 1, Number(start) + 2].filter((n) => n < 5);
          for (const n of order) await onBlock({ number: BigInt(n), key: `k${n % 7}`, value: `v${n}` });
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        },
        chainHeight: async () => 5n,
      },
    });
    await until(() => follower.checkpoint === 5n);
    await follower.close();
    expect(starts).to.deep.equal([0n, 2n]);
    expect(errors).to.deep.equal(['BLOCK_GAP']);
    expect(await testSink(db).state()).to.deep.equal(await referenceState(5, { probe: true }));
  });

  it('a process SIGKILLed mid-stream and restarted resumes where its store says and ends as an uninterrupted run does', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'kyc-follower-kill-'));
    const child = path.resolve(__dirname, '..', '..', 'support', 'followerChild.js');
    const total = 3000;
    try {
      const resumes: bigint[] = [];
      let killed = 0;
      for (let run = 0; run < 12; run++) {
        const before = await storedCheckpoint(dir);
        const proc = spawn(process.execPath, [child, dir, String(total)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
        const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
        const last = run === 11;
        if (!last) {
          // Killed once it has handled a random part of what is left (at most a third), so the kill
          // lands mid-stream however fast the machine is.
          const from = Number(before ?? 0n);
          const target = from + 1 + Math.floor((Math.random() * (total - from)) / 3);
          const reached = () => [...out.matchAll(/at (\d+)/g)].some((m) => Number(m[1]) >= target);
          await until(reached, 20_000);
          if (proc.kill('SIGKILL')) killed++;
        }
        const code = await exited;
        if (last) expect(code).to.equal(0);
        const resumed = /resumed (\d+)/.exec(out)?.[1];
        if (resumed !== undefined) {
          resumes.push(BigInt(resumed));
          expect(BigInt(resumed)).to.equal(before ?? 0n);
        }
      }
      expect(killed).to.be.greaterThan(5);
      // Resumed past 0 and at increasing points: the kills landed mid-stream.
      expect(resumes.filter((r) => r > 0n && r < BigInt(total)).length).to.be.greaterThan(2);
      const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
      const state = await testSink(db).state();
      expect(await readCheckpoint(db, 'child')).to.equal(BigInt(total));
      await db.close();
      expect(state).to.deep.equal(await referenceState(total, { probe: true }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function storedCheckpoint(dir: string): Promise<bigint | undefined> {
  const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
  try {
    return await readCheckpoint(db, 'child');
  } finally {
    await db.close();
  }
}
