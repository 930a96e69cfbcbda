import { expect } from 'chai';
import { MemoryLevel } from 'memory-level';
import pino from 'pino';
import type { LedgerChange } from '@kyc-ledger/api';
import {
  AutoLinker,
  LinkStore,
  RegistryStore,
  SyncManager,
  autoLinkRequestId,
  linkIdOf,
  registryTokenReader,
  syncAccountOf,
  type CommittedBlock,
  type LevelDb,
} from '@kyc-ledger/rpc-adapter';
import type { Address } from 'viem';
import { startDevGeth, type DevGeth } from '../../support/devGeth';
import { eventually } from '../../support/testNetwork';

const PORT_BASE = Number(process.env.KYC_EVM_TEST_PORT_BASE ?? 48000) + 60;
const ORG = 'Issuer1MSP';
const x = 'eip155:1:0x' + '3a'.repeat(20);

function block(number: bigint, ...txs: LedgerChange[][]): CommittedBlock {
  return {
    number,
    writes: [],
    validTransactions: txs.length,
    invalidTransactions: 0,
    events: txs.map((changes, i) => ({ txId: `tx${number}-${i}`, timestamp: '2026-01-01T00:00:00.000Z', changes })),
  };
}

describe('rpc-adapter sync accounts', () => {
  it('derive one stable key per link and master secret', () => {
    const secret = Buffer.alloc(32, 7);
    const a = syncAccountOf(secret, 'lnk_a');
    expect(syncAccountOf(Buffer.alloc(32, 7), 'lnk_a').address).to.equal(a.address);
    expect(syncAccountOf(secret, 'lnk_b').address).to.not.equal(a.address);
    expect(syncAccountOf(Buffer.alloc(32, 8), 'lnk_a').address).to.not.equal(a.address);
  });
});

describe('rpc-adapter auto-link and sync manager against a real geth (dev mode)', function () {
  this.timeout(180_000);
  let geth: DevGeth;
  let db: MemoryLevel<string, string>;
  const logger = pino({ level: 'silent' });
  const secret = Buffer.alloc(32, 42);

  before(async () => {
    geth = await startDevGeth(PORT_BASE);
  });
  after(async () => {
    await geth?.stop();
  });
  beforeEach(async () => {
    db = new MemoryLevel<string, string>();
    await db.open();
  });
  afterEach(() => db.close());

  it('links a new asset of the org once (deploy, fund, grant), syncs it, and stops syncing when unlinked', async () => {
    const level = db as unknown as LevelDb;
    const store = new RegistryStore(level);
    const links = new LinkStore(level);
    const chainId = await geth.client.getChainId();
    const linker = new AutoLinker(level, [{ org: ORG, chain: { chainId, rpcUrl: geth.url, confirmations: 1 }, fundFromDevAccount: true }], links, secret, logger);
    const sync = new SyncManager({ db: level, links, source: store, masterSecret: secret, logger, driverOptions: { pollIntervalMs: 200 } });
    const apply = async (b: CommittedBlock) => {
      const batch = level.batch();
      await store.applyBlock(b, batch);
      await linker.applyBlock(b, batch);
      await batch.write();
      linker.wake();
    };
    await sync.start();
    linker.start();
    try {
      const created = block(1n, [{ type: 'AssetCreated', id: 'AUTO-1', issuer: ORG }], [{ type: 'AssetCreated', id: 'OTHER-ORG', issuer: 'Bank1MSP' }]);
      await apply(created);
      await apply(block(2n, [{ type: 'RegistryChanged', asset: 'AUTO-1', seq: 1, op: 'authenticate', address: x }]));
      const [link] = await eventually(async () => {
        const all = await links.list();
        expect(all).to.have.length(1);
        return all;
      }, 60_000);
      expect(link!.linkId).to.equal(linkIdOf(ORG, autoLinkRequestId('AUTO-1')));
      expect(sync.syncAccount(link!.linkId)).to.equal(syncAccountOf(secret, link!.linkId).address);
      const token = registryTokenReader(geth.client, link!.chain.contractAddress as Address);
      await eventually(async () => expect(await token.isAuthenticated(('0x' + '3a'.repeat(20)) as Address)).to.equal(true), 60_000, 300);
      await eventually(async () => expect(await sync.progress(link!.linkId)).to.deep.include({ appliedSeq: 1 }), 30_000, 300);

      // The same block again (a rewound follower) queues nothing: still one link, one contract.
      await apply(created);
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await links.list()).map((l) => l.chain.contractAddress)).to.deep.equal([link!.chain.contractAddress]);

      await links.unlink(ORG, 'unlink-1', link!.linkId);
      await eventually(async () => expect(await sync.progress(link!.linkId)).to.equal(undefined), 10_000, 100);
    } finally {
      await linker.stop();
      await sync.stop();
    }
  });
});
