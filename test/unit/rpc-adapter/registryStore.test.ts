import { expect } from 'chai';
import { MemoryLevel } from 'memory-level';
import type { LedgerChange } from '@kyc-ledger/api';
import { RegistryStore, type CommittedBlock, type LevelDb } from '@kyc-ledger/rpc-adapter';

function block(number: bigint, ...txs: LedgerChange[][]): CommittedBlock {
  return {
    number,
    writes: [],
    validTransactions: txs.length,
    invalidTransactions: 0,
    events: txs.map((changes, i) => ({ txId: `tx${number}-${i}`, timestamp: `2026-01-01T00:00:0${i}.000Z`, changes })),
  };
}

const A = 'BOND-2030';
const x = 'eip155:1:0x' + '11'.repeat(20);
const y = 'eip155:1:0x' + '22'.repeat(20);

describe('rpc-adapter registry store', () => {
  let db: MemoryLevel<string, string>;
  let store: RegistryStore;

  async function apply(b: CommittedBlock): Promise<void> {
    const batch = (db as unknown as LevelDb).batch();
    await store.applyBlock(b, batch);
    await batch.write();
  }

  beforeEach(async () => {
    db = new MemoryLevel<string, string>();
    await db.open();
    store = new RegistryStore(db as unknown as LevelDb);
  });
  afterEach(() => db.close());

  it('keeps the issuer, changes by seq, address and asset state from followed blocks', async () => {
    await apply(block(1n, [{ type: 'AssetCreated', id: A, issuer: 'Org1MSP' }]));
    await apply(
      block(
        2n,
        [{ type: 'RegistryChanged', asset: A, seq: 1, op: 'authenticate', address: x }, { type: 'AddressRegistered', asset: A, address: x }],
        [
          { type: 'RegistryChanged', asset: A, seq: 2, op: 'authenticate', address: y },
          { type: 'RegistryChanged', asset: A, seq: 3, op: 'freeze', address: y },
          { type: 'RegistryChanged', asset: A, seq: 4, op: 'freezeAsset', address: '' },
        ],
      ),
    );
    expect(await store.issuerOf(A)).to.equal('Org1MSP');
    expect(await store.issuerOf('OTHER')).to.equal(undefined);
    const page = await store.changes(A, 2, 2);
    expect(page.head).to.equal(4);
    expect(page.changes.map((c) => [c.seq, c.op, c.txId])).to.deep.equal([
      [2, 'authenticate', 'tx2-1'],
      [3, 'freeze', 'tx2-1'],
    ]);
    expect(await store.address(A, y)).to.deep.equal({ authenticated: true, frozen: true, seq: 3 });
    expect(await store.assetState(A)).to.deep.equal({ frozen: true, seq: 4 });
    const listed = await store.listAddresses(A, '', 1);
    expect(listed).to.deep.equal({ addresses: [{ address: x, authenticated: true, frozen: false, seq: 1 }], more: true });
  });

  it('is unchanged by a re-applied block, even after later changes', async () => {
    const first = block(1n, [
      { type: 'AssetCreated', id: A, issuer: 'Org1MSP' },
      { type: 'RegistryChanged', asset: A, seq: 1, op: 'authenticate', address: x },
    ]);
    await apply(first);
    await apply(block(2n, [{ type: 'RegistryChanged', asset: A, seq: 2, op: 'revoke', address: x }]));
    const heads: number[] = [];
    store.onChange((_asset, head) => heads.push(head));
    await apply(first);
    expect(await store.address(A, x)).to.deep.equal({ authenticated: false, frozen: false, seq: 2 });
    expect((await store.changes(A, 1, 10)).changes.map((c) => c.op)).to.deep.equal(['authenticate', 'revoke']);
    expect(heads).to.deep.equal([]);
  });

  it('tells listeners the new head only once the batch is written', async () => {
    const heads: Array<[string, number]> = [];
    store.onChange((asset, head) => heads.push([asset, head]));
    const batch = (db as unknown as LevelDb).batch();
    await store.applyBlock(block(1n, [{ type: 'RegistryChanged', asset: A, seq: 1, op: 'authenticate', address: x }]), batch);
    expect(heads).to.deep.equal([]);
    await batch.write();
    expect(heads).to.deep.equal([[A, 1]]);
  });

  it('refuses a sequence gap with SEQUENCE_GAP and adds nothing', async () => {
    const batch = (db as unknown as LevelDb).batch();
    let code: unknown;
    try {
      await store.applyBlock(block(1n, [{ type: 'RegistryChanged', asset: A, seq: 2, op: 'authenticate', address: x }]), batch);
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    expect(code).to.equal('SEQUENCE_GAP');
    expect(batch.length).to.equal(0);
    await batch.close();
  });
});

describe('rpc-adapter registry store in a sublevel', () => {
  it('notifies when the root database writes the batch (the follower may own the root)', async () => {
    const root = new MemoryLevel<string, string>();
    await root.open();
    const store = new RegistryStore(root.sublevel('adapter') as unknown as LevelDb);
    const heads: number[] = [];
    store.onChange((_a, head) => heads.push(head));
    const batch = (root as unknown as LevelDb).batch();
    await store.applyBlock(block(1n, [{ type: 'RegistryChanged', asset: A, seq: 1, op: 'authenticate', address: x }]), batch);
    await batch.write();
    expect(heads).to.deep.equal([1]);
    expect((await store.changes(A, 1, 10)).changes).to.have.length(1);
    await root.close();
  });
});
