import { expect } from 'chai';
import { common, peer } from '@hyperledger/fabric-protos';
import { AttestationContract, RegistryContract, parseErrorBody, type Attestation, type Proposal } from '@kyc-ledger/chaincode';
import { MemoryLevel } from 'memory-level';
import { committedWrites, type CommittedBlock } from '@kyc-ledger/follower';
import { GatewayError, LedgerReplica } from '@kyc-ledger/gateway';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { encodeBlock, stateWrites, type TestTransaction, type TestWrite } from '../../support/encodeBlock';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';

const NETWORK = 'kyc-ledger/kyc';

/** The error a promise rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
const attestationKey = (id: string) => `\u0000attestation\u0000${id}\u0000`;

/**
 * The chaincode's own contracts run on the stubbed context; each call's state change becomes the
 * write set of one transaction in a protobuf-encoded block, which the replica applies. The
 * replica's answers are then compared with the contract's `status` on the same state.
 */
describe('gateway LedgerReplica (blocks applied in order, status as the chaincode answers it)', function () {
  const registry = new RegistryContract();
  const contract = new AttestationContract();
  let stub: StubContext;
  let db: MemoryLevel<string, string>;
  let replica: LedgerReplica;
  let next: number;
  let blocks: CommittedBlock[];

  /** What the follower does with each block: the replica's effects in one batch, then committed. */
  const apply = async (block: CommittedBlock) => {
    const batch = db.batch();
    try {
      await replica.applyBlock(block, batch);
      await batch.write();
    } catch (error) {
      await batch.close();
      throw error;
    }
    replica.committed();
  };

  /** Runs one chaincode call and returns its write set. */
  const run = async (fn: () => Promise<unknown>): Promise<TestWrite[]> => {
    const before = new Map(stub.state);
    stub.nextTx();
    await fn();
    return stateWrites(before, stub.state);
  };
  const commit = async (transactions: TestTransaction[]) => {
    const block = committedWrites(common.Block.deserializeBinary(encodeBlock(next, transactions)), 'kyc');
    await apply(block);
    blocks.push(block);
    next++;
  };
  const kyc = (writes: TestWrite[]): TestTransaction => ({ actions: [[{ namespace: 'kyc', writes }]] });
  const register = async () => {
    let id = '';
    const writes = await run(async () => { id = (JSON.parse(await contract.register(stub.ctx, JSON.stringify(attestationRequest(NETWORK).input))) as Attestation).id; });
    return { id, writes };
  };
  const chaincodeStatus = async (id: string, at: string) => JSON.parse(await contract.status(stub.ctx, id, at)) as unknown;

  beforeEach(async function () {
    stub = createStubContext();
    db = new MemoryLevel<string, string>();
    await db.open();
    replica = new LedgerReplica(db, { cacheSize: 2 });
    next = 0;
    blocks = [];
    stub.setTxTime('2026-06-01T12:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    await commit([{ config: true }]);
    await commit([kyc(await run(() => registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'))))]);
    stub.setCaller('Certifier1MSP');
  });

  it('answers exactly what attestation:status answers, through revocation and de-accreditation', async function () {
    const a = await register();
    const b = await register();
    await commit([kyc(a.writes), kyc(b.writes)]);
    expect(replica.counts).to.deep.equal({ attestations: 2, accreditations: 1, members: 4 });
    for (const at of ['2026-07-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z']) {
      expect(await replica.status(a.id, at)).to.deep.equal(await chaincodeStatus(a.id, at));
    }

    stub.setTxTime('2026-06-02T00:00:00.000Z');
    const revocation = await run(() => contract.revoke(stub.ctx, b.id, 'FRAUD'));
    // Until its block is applied the replica still says valid; from then on REVOKED.
    expect((await replica.status(b.id, '2026-07-01T00:00:00.000Z')).status).to.equal('VALID');
    await commit([kyc(revocation)]);
    expect(await replica.status(b.id, '2026-07-01T00:00:00.000Z')).to.deep.equal(await chaincodeStatus(b.id, '2026-07-01T00:00:00.000Z'));
    expect((await replica.status(b.id, '2026-07-01T00:00:00.000Z')).status).to.equal('REVOKED');

    stub.setTxTime('2026-08-01T00:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    let proposal = '';
    const steps = [await run(async () => { proposal = (JSON.parse(await registry.propose(stub.ctx, JSON.stringify({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } }))) as Proposal).id; })];
    for (const admin of ['Bank2MSP', 'Issuer1MSP']) {
      stub.setCaller(admin, true);
      steps.push(await run(() => registry.approve(stub.ctx, proposal)));
    }
    await commit(steps.map(kyc));
    for (const at of ['2026-07-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z']) {
      expect(await replica.status(a.id, at)).to.deep.equal(await chaincodeStatus(a.id, at));
    }
    expect((await replica.status(a.id, '2026-09-01T00:00:00.000Z')).status).to.equal('CERTIFIER_NOT_ACCREDITED');
    // Proposals, receipts and index entries are not kept.
    expect(replica.counts).to.deep.equal({ attestations: 2, accreditations: 1, members: 4 });
  });

  it('a removed certifier org\'s attestations fail at the bank as soon as the executing block is applied', async function () {
    const a = await register();
    await commit([kyc(a.writes)]);
    stub.setTxTime('2026-08-01T00:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    let proposal = '';
    const steps = [await run(async () => { proposal = (JSON.parse(await registry.propose(stub.ctx, JSON.stringify({ action: 'removeMember', payload: { mspId: 'Certifier1MSP' } }))) as Proposal).id; })];
    for (const admin of ['Bank2MSP', 'Issuer1MSP']) {
      stub.setCaller(admin, true);
      steps.push(await run(() => registry.approve(stub.ctx, proposal)));
    }
    expect((await replica.status(a.id, '2026-09-01T00:00:00.000Z')).status).to.equal('VALID');
    await commit(steps.map(kyc));
    expect(await replica.status(a.id, '2026-09-01T00:00:00.000Z')).to.deep.equal(await chaincodeStatus(a.id, '2026-09-01T00:00:00.000Z'));
    expect((await replica.status(a.id, '2026-09-01T00:00:00.000Z')).status).to.equal('CERTIFIER_NOT_ACCREDITED');
  });

  it('shares its parsed values only frozen, so one caller cannot change the next answer', async function () {
    const a = await register();
    await commit([kyc(a.writes)]);
    const first = await replica.status(a.id, '2026-07-01T00:00:00.000Z');
    expect(Object.isFrozen(first.attestation) && Object.isFrozen(first.attestation.claimTopics) && Object.isFrozen(first.accreditation)).to.equal(true);
    expect(() => { (first.attestation as { status: string }).status = 'revoked'; }).to.throw(TypeError);
    expect(await replica.status(a.id, '2026-07-01T00:00:00.000Z')).to.deep.equal(await chaincodeStatus(a.id, '2026-07-01T00:00:00.000Z'));
  });

  it('throws the chaincode\'s own error for an unknown or malformed id', async function () {
    for (const id of ['ab'.repeat(32), 'not-an-id']) {
      const fromChaincode = parseErrorBody((await rejection(contract.status(stub.ctx, id, '2026-07-01T00:00:00.000Z'))).message);
      let thrown: unknown;
      try {
        await replica.status(id, '2026-07-01T00:00:00.000Z');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(GatewayError);
      const e = thrown as GatewayError;
      expect({ code: e.code, message: e.message, details: e.details }).to.deep.equal(fromChaincode);
    }
  });

  it('skips invalid transactions and other namespaces, applies deletes', async function () {
    const a = await register();
    const b = await register();
    const forged = JSON.stringify({ ...(JSON.parse(stub.state.get(attestationKey(a.id))?.toString() ?? '{}') as Attestation), status: 'revoked' });
    await commit([
      kyc(a.writes),
      { ...kyc([{ key: attestationKey(a.id), value: forged }]), validationCode: peer.TxValidationCode.MVCC_READ_CONFLICT },
      { ...kyc(b.writes), validationCode: peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE },
      { actions: [[{ namespace: 'otherchaincode', writes: [{ key: attestationKey(a.id), value: forged }] }]] },
    ]);
    expect((await replica.status(a.id, '2026-07-01T00:00:00.000Z')).status).to.equal('VALID');
    expect((await failure(replica.status(b.id, '2026-07-01T00:00:00.000Z'))).message).to.match(/no attestation/);
    await commit([kyc([{ key: attestationKey(a.id) }])]);
    expect((await failure(replica.status(a.id, '2026-07-01T00:00:00.000Z'))).message).to.match(/no attestation/);
    expect(replica.counts.attestations).to.equal(0);
  });

  it('re-applying the blocks from a rewound checkpoint leaves the same state and counts', async function () {
    const a = await register();
    const b = await register();
    await commit([kyc(a.writes)]);
    await commit([kyc(b.writes)]);
    await commit([kyc([{ key: attestationKey(a.id) }])]);
    const state = async () => ({ counts: replica.counts, stored: await db.iterator().all() });
    const before = await state();
    expect(before.counts).to.deep.equal({ attestations: 1, accreditations: 1, members: 4 });
    for (const block of blocks.slice(1)) await apply(block);
    expect(await state()).to.deep.equal(before);
    // A replica opened afresh on the same store reads the same counts.
    const reopened = new LedgerReplica(db);
    expect(await reopened.loadCounts()).to.deep.equal(before.counts);
    expect((await reopened.status(b.id, '2026-07-01T00:00:00.000Z')).status).to.equal('VALID');
  });

  it('drops a cached attestation when a block rewrites it, and keeps only a bounded number parsed', async function () {
    const people = [await register(), await register(), await register()];
    await commit(people.map((p) => kyc(p.writes)));
    for (const p of people) expect((await replica.status(p.id, '2026-07-01T00:00:00.000Z')).status).to.equal('VALID');
    expect(replica.cachedAttestations).to.equal(2);
    stub.setTxTime('2026-06-02T00:00:00.000Z');
    await commit([kyc(await run(() => contract.revoke(stub.ctx, people[2]?.id ?? '', 'FRAUD')))]);
    expect((await replica.status(people[2]?.id ?? '', '2026-07-01T00:00:00.000Z')).status).to.equal('REVOKED');
    expect((await replica.status(people[0]?.id ?? '', '2026-07-01T00:00:00.000Z')).status).to.equal('VALID');
  });

  it('applies nothing of a block holding a broken value', async function () {
    const a = await register();
    await commit([kyc(a.writes)]);
    await failure(commit([kyc([{ key: attestationKey(a.id) }, { key: '\u0000accreditation\u0000Certifier1MSP\u0000', value: '{broken' }])]));
    expect(blocks.length).to.equal(3);
    expect(replica.counts.attestations).to.equal(1);
    expect((await replica.status(a.id, '2026-07-01T00:00:00.000Z')).status).to.equal('VALID');
  });
});
