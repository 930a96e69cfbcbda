import { expect } from 'chai';
import type { Key } from '@kyc-ledger/crypto';
import type { LedgerChange, RegistryBatchResult, RegistryChange, RegistryChangesPage } from '@kyc-ledger/api';
import {
  AssetContract,
  AttestationContract,
  InvestorContract,
  RegistrationContract,
  RegistryContract,
  approvalDigest,
  type ApprovedAction,
  type Attestation,
  type Registration,
} from '@kyc-ledger/chaincode';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { approve, investorRecord, officerKeys } from '../../support/investorFixtures';
import { changesOf } from '../../support/ledgerChanges';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';

const NETWORK = 'kyc-ledger/kyc';
const ASSET = 'BOND-2030';

/** An investor's address with the attestation that backs it. */
interface Investor {
  address: string;
  attestationId: string;
}

describe('registry change sequence: registration:changes and registration:batch (stubbed context)', function () {
  const registry = new RegistryContract();
  const attestations = new AttestationContract();
  const assets = new AssetContract();
  const investors = new InvestorContract();
  const registrations = new RegistrationContract();
  let stub: StubContext;
  let officers: Key[];

  const approvals = (action: ApprovedAction) => [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, approvalDigest(action), NETWORK));
  /** The register action of a batch, approved over the nonce the address will have when it runs. */
  const registerAction = (inv: Investor, nonce = 0) => {
    const fields = { address: inv.address, investor: 'inv-1', certifier: 'Certifier1MSP', attestationId: inv.attestationId };
    return { action: 'register', ...fields, approvals: approvals({ action: 'register', asset: ASSET, ...fields, nonce }) };
  };
  const unfreezeAction = (address: string, nonce: number) => ({ action: 'unfreeze', address, approvals: approvals({ action: 'unfreezeAddress', asset: ASSET, address, nonce }) });
  const registerCall = (inv: Investor) => registrations.register(stub.ctx, JSON.stringify({ asset: ASSET, ...registerAction(inv), action: undefined }));
  const register = (inv: Investor) => stub.tx(() => registerCall(inv));
  const batch = async (actions: unknown[], asset = ASSET) => JSON.parse(await stub.tx(() => registrations.batch(stub.ctx, JSON.stringify({ asset, actions })))) as RegistryBatchResult;
  const page = async (fromSeq = 1, limit = 1000, asset = ASSET) => JSON.parse(await registrations.changes(stub.ctx, JSON.stringify({ asset, fromSeq, limit }))) as RegistryChangesPage;
  const summary = (changes: readonly RegistryChange[]) => changes.map((c) => `${c.seq} ${c.op} ${c.address}`);
  const sequenced = (events: readonly { name: string; payload: Buffer }[]) =>
    events.flatMap(changesOf).filter((c): c is Extract<LedgerChange, { type: 'RegistryChanged' }> => c.type === 'RegistryChanged').map((c) => `${c.seq} ${c.op} ${c.address}`);

  async function newInvestor(): Promise<Investor> {
    stub.setCaller('Certifier1MSP');
    const request = attestationRequest(NETWORK);
    const attestation = JSON.parse(await attestations.register(stub.ctx, JSON.stringify(request.input))) as Attestation;
    stub.setCaller('Issuer1MSP');
    return { address: request.key.accountId, attestationId: attestation.id };
  }

  beforeEach(async function () {
    stub = createStubContext();
    stub.setTxTime('2026-06-01T12:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.setCaller('Certifier1MSP');
    stub.setTransient({ investor: JSON.stringify(investorRecord('inv-1')) });
    await investors.put(stub.ctx);
    stub.setCaller('Issuer1MSP');
    officers = officerKeys(3);
    await assets.create(stub.ctx, JSON.stringify({ id: ASSET, name: 'Bond 2030', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } }));
    stub.nextTx();
  });

  it('numbers every change gaplessly across transactions and kinds, with each transaction\'s id and time, and lists them in its event', async function () {
    const [a, b] = [await newInvestor(), await newInvestor()] as [Investor, Investor];
    expect(await page()).to.deep.equal({ asset: ASSET, head: 0, changes: [] });
    const before = stub.events.length;
    const txIds: string[] = [];
    const step = async (fn: () => Promise<unknown>, at: string) => {
      stub.nextTx();
      stub.setTxTime(at);
      await stub.tx(async () => {
        txIds.push(stub.ctx.stub.getTxID());
        await fn();
      });
    };
    await step(() => registerCall(a), '2026-06-01T12:00:01.000Z');
    await step(() => registerCall(b), '2026-06-01T12:00:02.000Z');
    const ref = (inv: Investor) => JSON.stringify({ asset: ASSET, address: inv.address });
    await step(() => registrations.freeze(stub.ctx, ref(a)), '2026-06-01T12:00:03.000Z');
    await step(() => registrations.deregister(stub.ctx, ref(b)), '2026-06-01T12:00:04.000Z');
    await step(() => assets.freeze(stub.ctx, ASSET), '2026-06-01T12:00:05.000Z');
    await step(() => assets.unfreeze(stub.ctx, JSON.stringify({ asset: ASSET, approvals: approvals({ action: 'unfreezeAsset', asset: ASSET, nonce: 1 }) })), '2026-06-01T12:00:06.000Z');
    await step(() => registrations.unfreeze(stub.ctx, JSON.stringify({ asset: ASSET, ...unfreezeAction(a.address, 2), action: undefined })), '2026-06-01T12:00:07.000Z');

    const { head, changes } = await page();
    expect(head).to.equal(7);
    expect(summary(changes)).to.deep.equal([
      `1 authenticate ${a.address}`, `2 authenticate ${b.address}`, `3 freeze ${a.address}`, `4 revoke ${b.address}`,
      '5 freezeAsset ', '6 unfreezeAsset ', `7 unfreeze ${a.address}`,
    ]);
    expect(changes.map((c) => c.txId)).to.deep.equal(txIds);
    expect(changes.map((c) => c.at)).to.deep.equal([1, 2, 3, 4, 5, 6, 7].map((s) => `2026-06-01T12:00:0${s}.000Z`));
    // One RegistryChanged per sequence, each next to the transaction's existing change.
    const events = stub.events.slice(before);
    expect(sequenced(events)).to.deep.equal(summary(changes));
    expect(events.map((e) => changesOf(e).map((c) => c.type))).to.deep.include.members([['AssetFrozen', 'RegistryChanged'], ['AddressRegistered', 'RegistryChanged']]);
  });

  it('a recovery revokes the old address and authenticates the new one, and freezes it when the old one was frozen', async function () {
    const [a, b, c, d] = [await newInvestor(), await newInvestor(), await newInvestor(), await newInvestor()] as [Investor, Investor, Investor, Investor];
    await register(a);
    await register(c);
    await stub.tx(() => registrations.freeze(stub.ctx, JSON.stringify({ asset: ASSET, address: a.address })));
    const recover = (from: Investor, to: Investor) => stub.tx(() => registrations.recover(stub.ctx, JSON.stringify({
      asset: ASSET, from: from.address, to: to.address, attestationId: to.attestationId,
      approvals: approvals({ action: 'recover', asset: ASSET, from: from.address, to: to.address, attestationId: to.attestationId, nonce: from === a ? 2 : 1 }),
    })));
    const moved = JSON.parse(await recover(a, b)) as Registration;
    expect(moved).to.include({ address: b.address, frozen: true });
    expect(changesOf(stub.events.at(-1) as never).map((ch) => ch.type)).to.deep.equal(['AddressRecovered', 'RegistryChanged', 'RegistryChanged', 'RegistryChanged']);
    await recover(c, d);
    expect(summary((await page(4)).changes)).to.deep.equal([`4 revoke ${a.address}`, `5 authenticate ${b.address}`, `6 freeze ${b.address}`, `7 revoke ${c.address}`, `8 authenticate ${d.address}`]);
  });

  it('a batch applies its actions in order: a failing one writes nothing and reports its own error, the others take consecutive sequences', async function () {
    const [a, b, c] = [await newInvestor(), await newInvestor(), await newInvestor()] as [Investor, Investor, Investor];
    await register(c);
    const before = stub.events.length;
    const unbacked = { ...registerAction(b), attestationId: a.attestationId };
    const result = await batch([
      registerAction(a),
      unbacked, // a's attestation does not back b: INVALID_ARGUMENT, nothing written for b
      { action: 'freeze', address: a.address }, // sees the registration of the first action
      { action: 'explode', address: a.address },
      { action: 'freeze', address: b.address }, // b was never registered
      unfreezeAction(a.address, 2),
      { action: 'deregister', address: c.address },
      { action: 'deregister', address: c.address }, // sees the one before it
      registerAction(b),
    ]);
    expect(result.results.map((r) => (r.ok ? r.seqs : r.code))).to.deep.equal([[2], 'INVALID_ARGUMENT', [3], 'INVALID_ARGUMENT', 'NOT_FOUND', [4], [5], 'NOT_FOUND', [6]]);
    expect(result.applied).to.equal(5);
    const first = result.results[0] as Extract<RegistryBatchResult['results'][number], { ok: true }>;
    expect(first.registration).to.include({ address: a.address, status: 'registered', nonce: 1 });
    const failed = result.results[1] as Extract<RegistryBatchResult['results'][number], { ok: false }>;
    expect(failed.message).to.equal('the attestation does not back this registration');
    expect(failed.details).to.have.property('problems');

    const { head, changes } = await page();
    expect(head).to.equal(6);
    expect(summary(changes)).to.deep.equal([
      `1 authenticate ${c.address}`, `2 authenticate ${a.address}`, `3 freeze ${a.address}`, `4 unfreeze ${a.address}`, `5 revoke ${c.address}`, `6 authenticate ${b.address}`,
    ]);
    expect(new Set(changes.slice(1).map((ch) => ch.txId)).size, 'one transaction').to.equal(1);
    const stored = JSON.parse(await registrations.get(stub.ctx, JSON.stringify({ asset: ASSET, address: a.address }))) as Registration;
    expect(stored).to.include({ status: 'registered', frozen: false, nonce: 3 });
    expect((JSON.parse(await registrations.get(stub.ctx, JSON.stringify({ asset: ASSET, address: b.address }))) as Registration).nonce).to.equal(1);
    // The one event lists every change in order: each action's own change, then its sequences.
    const [event] = stub.events.slice(before);
    expect(changesOf(event as never).map((ch) => (ch.type === 'RegistryChanged' ? `#${ch.seq}` : ch.type))).to.deep.equal([
      'AddressRegistered', '#2', 'AddressFrozen', '#3', 'AddressUnfrozen', '#4', 'AddressDeregistered', '#5', 'AddressRegistered', '#6',
    ]);
  });

  it('a batch in which no action succeeds fails as a whole, with every outcome, and changes nothing', async function () {
    const a = await newInvestor();
    const snapshot = JSON.stringify([...stub.state.entries()]);
    const error = await rejection(batch([{ action: 'freeze', address: a.address }, { action: 'deregister', address: a.address }]));
    expect(error.code).to.equal('NOT_FOUND');
    expect((error.details as RegistryBatchResult).results.map((r) => r.ok)).to.deep.equal([false, false]);
    expect(JSON.stringify([...stub.state.entries()])).to.equal(snapshot);
    expect((await rejection(batch([]))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(batch([{ action: 'freeze', address: a.address }], 'NO-SUCH'))).code).to.equal('NOT_FOUND');
    stub.setCaller('Bank1MSP');
    expect((await rejection(batch([registerAction(a)]))).code).to.equal('FORBIDDEN');
  });

  it('reads changes back in pages; validates the query; an unknown asset is NOT_FOUND', async function () {
    const invs = [await newInvestor(), await newInvestor(), await newInvestor(), await newInvestor(), await newInvestor()];
    await batch(invs.map((inv) => registerAction(inv)));
    await batch(invs.map((inv) => ({ action: 'freeze', address: inv.address })));
    const seen: number[] = [];
    for (let from = 1; ; ) {
      const next = await page(from, 3);
      expect(next.head).to.equal(10);
      if (next.changes.length === 0) break;
      seen.push(...next.changes.map((c) => c.seq));
      from = (next.changes.at(-1) as RegistryChange).seq + 1;
    }
    expect(seen).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(summary((await page(5, 2)).changes)).to.deep.equal([`5 authenticate ${invs[4]?.address}`, `6 freeze ${invs[0]?.address}`]);
    expect((await page(11, 5)).changes).to.deep.equal([]);
    for (const bad of [{ fromSeq: 0, limit: 1 }, { fromSeq: 1, limit: 0 }, { fromSeq: 1, limit: 1001 }, { fromSeq: 1.5, limit: 1 }]) {
      expect((await rejection(registrations.changes(stub.ctx, JSON.stringify({ asset: ASSET, ...bad })))).code, JSON.stringify(bad)).to.equal('INVALID_ARGUMENT');
    }
    expect((await rejection(page(1, 10, 'NO-SUCH'))).code).to.equal('NOT_FOUND');
    // Another asset has its own sequence.
    await assets.create(stub.ctx, JSON.stringify({ id: 'EQ-1', name: 'Equity', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } }));
    await stub.tx(() => assets.freeze(stub.ctx, 'EQ-1'));
    expect(summary((await page(1, 10, 'EQ-1')).changes)).to.deep.equal(['1 freezeAsset ']);
  });
});
