import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';
import { peer } from '@hyperledger/fabric-protos';
import { committedWritesWithPrivateData, createLedgerFollower, writeCheckpoint, type CommittedBlock, type FollowerDb, type LedgerFollower } from '@kyc-ledger/follower';
import { KeyValueReplica, ReplicaGapError } from '@kyc-ledger/gateway';
import { encodeBlockAndPrivateData, type TestTransaction } from '../../support/encodeBlock';

const OWN = 'issuer__Issuer1MSP';
const SHARED = 'investor__Issuer1MSP__Certifier1MSP';
const mine = (name: string) => name === OWN || name === SHARED;
const key = (type: string, ...attrs: string[]) => `\u0000${type}\u0000${attrs.map((a) => `${a}\u0000`).join('')}`;
const text = (v: Uint8Array | undefined) => (v === undefined ? undefined : new TextDecoder().decode(v));
const block = (number: number, txs: TestTransaction[]): CommittedBlock =>
  committedWritesWithPrivateData(peer.BlockAndPrivateData.deserializeBinary(encodeBlockAndPrivateData(number, txs)), 'kyc', mine);
const put = (collection: string, k: string, value: string): TestTransaction => ({ private: [{ namespace: 'kyc', collection, writes: [{ key: k, value }] }] });
const options = { publicTypes: ['asset'], privateTypes: ['holding', 'investor'], collections: mine };

const holding = key('holding', 'A', 'addr1');
const investor = key('investor', 'inv-1');

/** The error a promise rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const until = async (done: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

/** A replica over `db` with what the follower does with each block: its effects in one batch, then committed. */
function replicaOn(db: FollowerDb) {
  const replica = new KeyValueReplica(db, options);
  const apply = async (b: CommittedBlock) => {
    // A chained batch needs an open store (as the follower ensures).
    await db.open();
    const batch = db.batch();
    try {
      await replica.applyBlock(b, batch);
      await batch.write();
    } catch (error) {
      await batch.close();
      throw error;
    }
    replica.committed();
  };
  return { replica, apply };
}

/** A follower feeding a replica from `blocks` (a chain that stays open once it has sent them). */
function follow(db: FollowerDb, blocks: CommittedBlock[]) {
  const starts: bigint[] = [];
  const replica = new KeyValueReplica(db, options);
  const follower = createLedgerFollower({
    db, name: 'transfer-check-replica', sink: replica, retryMs: 5, heightCheckMs: 10,
    source: {
      async watch(start, onBlock, signal, onOpen) {
        starts.push(start);
        onOpen?.();
        for (const b of blocks.slice(Number(start))) await onBlock(b);
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
      chainHeight: async () => BigInt(blocks.length),
    },
  });
  return { replica, follower, starts };
}

const caughtUp = async (follower: LedgerFollower, height: number) => until(() => follower.caughtUp && follower.checkpoint === BigInt(height));

describe('gateway KeyValueReplica (public state and private data by type and collection, on disk)', function () {
  it('keeps only the object types and collections it is for, and applies writes and deletes in order', async function () {
    const { replica: r, apply } = replicaOn(new MemoryLevel<string, string>());
    await apply(block(0, [
      { actions: [[{ namespace: 'kyc', writes: [{ key: key('asset', 'A'), value: '{"id":"A"}' }, { key: key('receipt', 'r'), value: 'x' }] }]] },
      put(OWN, holding, '1'), put(OWN, key('decision', 'A', 'd'), 'not kept'), put(SHARED, investor, 'inv'),
    ]));
    expect(text(await r.getState(key('asset', 'A')))).to.equal('{"id":"A"}');
    expect(await r.getState(key('receipt', 'r'))).to.equal(undefined);
    expect(text(await r.getPrivateData(OWN, holding))).to.equal('1');
    expect(await r.getPrivateData(OWN, key('decision', 'A', 'd'))).to.equal(undefined);
    expect(r.counts).to.deep.equal({ public: 1, private: 2 });
    await apply(block(1, [put(OWN, holding, '2'), { private: [{ namespace: 'kyc', collection: SHARED, writes: [{ key: investor }] }] }]));
    // Both were read (and cached) before: the commit dropped the cached copies.
    expect(text(await r.getPrivateData(OWN, holding))).to.equal('2');
    expect(await r.getPrivateData(SHARED, investor)).to.equal(undefined);
    expect((await r.scanPrivateData(OWN, 'holding', key('holding', 'A'))).map((kv) => kv.key)).to.deep.equal([holding]);
    expect(r.counts).to.deep.equal({ public: 1, private: 1 });
  });

  it('scans in key order and only under the prefix, and a write drops a cached scan it falls under', async function () {
    const { replica: r, apply } = replicaOn(new MemoryLevel<string, string>());
    await apply(block(0, [put(OWN, key('holding', 'A', 'b'), 'b'), put(OWN, key('holding', 'A', 'a'), 'a'), put(OWN, key('holding', 'AB', 'x'), 'x'), put(SHARED, key('holding', 'A', 'c'), 'c')]));
    const scan = async () => (await r.scanPrivateData(OWN, 'holding', key('holding', 'A'))).map((kv) => [kv.key, text(kv.value)]);
    expect(await scan()).to.deep.equal([[key('holding', 'A', 'a'), 'a'], [key('holding', 'A', 'b'), 'b']]);
    await apply(block(1, [put(OWN, key('holding', 'A', 'aa'), 'aa')]));
    expect(await scan()).to.deep.equal([[key('holding', 'A', 'a'), 'a'], [key('holding', 'A', 'aa'), 'aa'], [key('holding', 'A', 'b'), 'b']]);
  });

  it('makes a purged key disappear, also when only the hashed write names it', async function () {
    const { replica: r, apply } = replicaOn(new MemoryLevel<string, string>());
    await apply(block(0, [put(OWN, holding, '1'), put(SHARED, investor, 'inv')]));
    await apply(block(1, [
      { private: [{ namespace: 'kyc', collection: SHARED, writes: [{ key: investor, purge: true }] }] },
      { private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: holding, purge: true }], delivered: false }] },
    ]));
    expect(await r.getPrivateData(SHARED, investor)).to.equal(undefined);
    expect(await r.getPrivateData(OWN, holding)).to.equal(undefined);
    expect(r.counts.private).to.equal(0);
  });

  it('refuses to answer for a key whose latest value was not delivered, until it is written again', async function () {
    const { replica: r, apply } = replicaOn(new MemoryLevel<string, string>());
    await apply(block(0, [put(OWN, holding, '1')]));
    await apply(block(1, [{ private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: holding, value: '2' }], delivered: false }] }]));
    expect(await failure(r.getPrivateData(OWN, holding))).to.be.instanceOf(ReplicaGapError);
    expect(await failure(r.scanPrivateData(OWN, 'holding', key('holding')))).to.be.instanceOf(ReplicaGapError);
    expect(await r.getPrivateData(OWN, key('holding', 'A', 'other'))).to.equal(undefined);
    await apply(block(2, [put(OWN, holding, '3')]));
    expect(text(await r.getPrivateData(OWN, holding))).to.equal('3');
  });

  it('through the follower: skips a block already applied and stops at a gap, changing nothing', async function () {
    const db = new MemoryLevel<string, string>();
    const errors: string[] = [];
    const replica = new KeyValueReplica(db, options);
    let sent = false;
    const follower = createLedgerFollower({
      db, name: 'transfer-check-replica', sink: replica, retryMs: 5, heightCheckMs: 10, onError: (e) => errors.push((e as { code?: string }).code ?? String(e)),
      source: {
        async watch(_start, onBlock, signal, onOpen) {
          onOpen?.();
          if (!sent) {
            sent = true;
            for (const b of [block(0, [put(OWN, holding, '1')]), block(0, [put(OWN, holding, 'again')]), block(2, [put(OWN, holding, 'gap')])]) await onBlock(b);
          }
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        },
        chainHeight: async () => 3n,
      },
    });
    await until(() => errors.length > 0);
    await follower.close();
    expect(errors).to.deep.equal(['BLOCK_GAP']);
    expect(text(await replica.getPrivateData(OWN, holding))).to.equal('1');
    expect(follower.checkpoint).to.equal(1n);
  });

  describe('restarted on its classic-level store', function () {
    let dir: string;
    beforeEach(function () {
      dir = mkdtempSync(path.join(tmpdir(), 'kv-replica-'));
    });
    afterEach(function () {
      rmSync(dir, { recursive: true, force: true });
    });
    const open = () => new ClassicLevel<string, string>(path.join(dir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'utf8' });

    it('resumes from its checkpoint, not from block 0, and answers as before the restart', async function () {
      const chain = [
        block(0, [{ actions: [[{ namespace: 'kyc', writes: [{ key: key('asset', 'A'), value: '{"id":"A"}' }] }]] }, put(OWN, holding, '1')]),
        block(1, [put(SHARED, investor, 'inv'), put(OWN, key('holding', 'A', 'addr2'), '5')]),
        block(2, [put(OWN, holding, '2')]),
      ];
      const first = open();
      const one = follow(first, chain.slice(0, 2));
      await caughtUp(one.follower, 2);
      const before = [text(await one.replica.getPrivateData(OWN, holding)), text(await one.replica.getState(key('asset', 'A'))), one.replica.counts];
      await one.follower.close();
      await first.close();

      const second = open();
      const two = follow(second, chain);
      await caughtUp(two.follower, 3);
      expect(two.starts).to.deep.equal([2n]);
      expect(two.follower.resumedFrom).to.equal(2n);
      expect(two.follower.blocksApplied).to.equal(1);
      expect(before).to.deep.equal(['1', '{"id":"A"}', { public: 1, private: 3 }]);
      expect(text(await two.replica.getState(key('asset', 'A')))).to.equal('{"id":"A"}');
      expect(text(await two.replica.getPrivateData(SHARED, investor))).to.equal('inv');
      expect(text(await two.replica.getPrivateData(OWN, holding))).to.equal('2');
      expect((await two.replica.scanPrivateData(OWN, 'holding', key('holding', 'A'))).map((kv) => text(kv.value))).to.deep.equal(['2', '5']);
      expect(await two.replica.loadCounts()).to.deep.equal({ public: 1, private: 3 });
      await two.follower.close();
      await second.close();
    });

    it('purges by key hash after a restart, and remembers across it which keys are not known', async function () {
      const hidden = key('holding', 'A', 'hidden');
      const chain = [
        block(0, [put(OWN, holding, '1'), put(SHARED, investor, 'inv')]),
        block(1, [{ private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: hidden, value: 'x' }], delivered: false }] }]),
        // After the restart: purges named by hash alone (the private data was not delivered).
        block(2, [
          { private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: holding, purge: true }], delivered: false }] },
          { private: [{ namespace: 'kyc', collection: SHARED, writes: [{ key: investor, purge: true }], delivered: false }] },
        ]),
        block(3, [{ private: [{ namespace: 'kyc', collection: OWN, writes: [{ key: hidden, purge: true }], delivered: false }] }]),
      ];
      expect(createHash('sha256').update(holding).digest('hex')).to.equal(chain[2]?.privateWrites?.[0]?.keyHash);
      const first = open();
      const one = follow(first, chain.slice(0, 2));
      await caughtUp(one.follower, 2);
      await one.follower.close();
      await first.close();

      const second = open();
      const two = follow(second, chain.slice(0, 3));
      await caughtUp(two.follower, 3);
      expect(two.starts).to.deep.equal([2n]);
      expect(await two.replica.getPrivateData(OWN, holding)).to.equal(undefined);
      expect(await two.replica.getPrivateData(SHARED, investor)).to.equal(undefined);
      // The key not delivered before the restart is still a gap after it.
      expect(await failure(two.replica.getPrivateData(OWN, hidden))).to.be.instanceOf(ReplicaGapError);
      expect(await failure(two.replica.scanPrivateData(OWN, 'holding', key('holding')))).to.be.instanceOf(ReplicaGapError);
      expect(two.replica.counts).to.deep.equal({ public: 0, private: 0 });
      await two.follower.close();
      await second.close();

      const third = open();
      const three = follow(third, chain);
      await caughtUp(three.follower, 4);
      expect(await three.replica.getPrivateData(OWN, hidden)).to.equal(undefined);
      expect(await three.replica.scanPrivateData(OWN, 'holding', key('holding'))).to.deep.equal([]);
      await three.follower.close();
      await third.close();
    });

    it('takes a rewound checkpoint harmlessly: blocks re-applied leave the same state and counts', async function () {
      const chain = [block(0, [put(OWN, holding, '1'), put(SHARED, investor, 'inv')]), block(1, [put(OWN, holding, '2')]), block(2, [{ private: [{ namespace: 'kyc', collection: SHARED, writes: [{ key: investor, purge: true }] }] }])];
      const db = open();
      const one = follow(db, chain);
      await caughtUp(one.follower, 3);
      await one.follower.close();
      await writeCheckpoint(db, 'transfer-check-replica', 0n);
      const two = follow(db, chain);
      await caughtUp(two.follower, 3);
      expect(two.follower.blocksApplied).to.equal(3);
      expect(text(await two.replica.getPrivateData(OWN, holding))).to.equal('2');
      expect(await two.replica.getPrivateData(SHARED, investor)).to.equal(undefined);
      expect(two.replica.counts).to.deep.equal({ public: 0, private: 1 });
      await two.follower.close();
      await db.close();
    });
  });
});
