import { expect } from 'chai';
import { common, peer } from '@hyperledger/fabric-protos';
import { AttestationContract, RegistryContract, parseErrorBody, type Attestation, type Proposal } from '@kyc-ledger/chaincode';
import { committedWrites, GatewayError, LedgerReplica } from '@kyc-ledger/gateway';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { encodeBlock, stateWrites, type TestTransaction, type TestWrite } from '../../support/encodeBlock';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';

const NETWORK = 'kyc-ledger/kyc';
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
  let replica: LedgerReplica;
  let next: number;

  /** Runs one chaincode call and returns its write set. */
  const run = async (fn: () => Promise<unknown>): Promise<TestWrite[]> => {
    const before = new Map(stub.state);
    stub.nextTx();
    await fn();
    return stateWrites(before, stub.state);
  };
  const commit = (transactions: TestTransaction[]) => {
    const applied = replica.apply(committedWrites(common.Block.deserializeBinary(encodeBlock(next, transactions)), 'kyc'));
    next++;
    return applied;
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
    replica = new LedgerReplica();
    next = 0;
    stub.setTxTime('2026-06-01T12:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    commit([{ config: true }]);
    commit([kyc(await run(() => registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'))))]);
    stub.setCaller('Certifier1MSP');
  });

  it('answers exactly what attestation:status answers, through revocation and de-accreditation', async function () {
    const a = await register();
    const b = await register();
    commit([kyc(a.writes), kyc(b.writes)]);
    expect(replica.height).to.equal(3n);
    expect(replica.counts).to.deep.equal({ attestations: 2, accreditations: 1, members: 4 });
    for (const at of ['2026-07-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z']) {
      expect(replica.status(a.id, at)).to.deep.equal(await chaincodeStatus(a.id, at));
    }

    stub.setTxTime('2026-06-02T00:00:00.000Z');
    const revocation = await run(() => contract.revoke(stub.ctx, b.id, 'FRAUD'));
    // Until its block is applied the replica still says valid; from then on REVOKED.
    expect(replica.status(b.id, '2026-07-01T00:00:00.000Z').status).to.equal('VALID');
    commit([kyc(revocation)]);
    expect(replica.status(b.id, '2026-07-01T00:00:00.000Z')).to.deep.equal(await chaincodeStatus(b.id, '2026-07-01T00:00:00.000Z'));
    expect(replica.status(b.id, '2026-07-01T00:00:00.000Z').status).to.equal('REVOKED');

    stub.setTxTime('2026-08-01T00:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    let proposal = '';
    const steps = [await run(async () => { proposal = (JSON.parse(await registry.propose(stub.ctx, JSON.stringify({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } }))) as Proposal).id; })];
    for (const admin of ['Bank2MSP', 'Issuer1MSP']) {
      stub.setCaller(admin, true);
      steps.push(await run(() => registry.approve(stub.ctx, proposal)));
    }
    commit(steps.map(kyc));
    for (const at of ['2026-07-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z']) {
      expect(replica.status(a.id, at)).to.deep.equal(await chaincodeStatus(a.id, at));
    }
    expect(replica.status(a.id, '2026-09-01T00:00:00.000Z').status).to.equal('CERTIFIER_NOT_ACCREDITED');
    // Proposals, receipts and index entries are not kept.
    expect(replica.counts).to.deep.equal({ attestations: 2, accreditations: 1, members: 4 });
  });

  it('shares its parsed values only frozen, so one caller cannot change the next answer', async function () {
    const a = await register();
    commit([kyc(a.writes)]);
    const first = replica.status(a.id, '2026-07-01T00:00:00.000Z');
    expect(Object.isFrozen(first.attestation) && Object.isFrozen(first.attestation.claimTopics) && Object.isFrozen(first.accreditation)).to.equal(true);
    expect(() => { (first.attestation as { status: string }).status = 'revoked'; }).to.throw(TypeError);
    expect(replica.status(a.id, '2026-07-01T00:00:00.000Z')).to.deep.equal(await chaincodeStatus(a.id, '2026-07-01T00:00:00.000Z'));
  });

  it('throws the chaincode\'s own error for an unknown or malformed id', async function () {
    for (const id of ['ab'.repeat(32), 'not-an-id']) {
      const fromChaincode = parseErrorBody((await rejection(contract.status(stub.ctx, id, '2026-07-01T00:00:00.000Z'))).message);
      let thrown: unknown;
      try {
        replica.status(id, '2026-07-01T00:00:00.000Z');
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
    commit([
      kyc(a.writes),
      { ...kyc([{ key: attestationKey(a.id), value: forged }]), validationCode: peer.TxValidationCode.MVCC_READ_CONFLICT },
      { ...kyc(b.writes), validationCode: peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE },
      { actions: [[{ namespace: 'otherchaincode', writes: [{ key: attestationKey(a.id), value: forged }] }]] },
    ]);
    expect(replica.status(a.id, '2026-07-01T00:00:00.000Z').status).to.equal('VALID');
    expect(() => replica.status(b.id, '2026-07-01T00:00:00.000Z')).to.throw(/no attestation/);
    commit([kyc([{ key: attestationKey(a.id) }])]);
    expect(() => replica.status(a.id, '2026-07-01T00:00:00.000Z')).to.throw(/no attestation/);
    expect(replica.counts.attestations).to.equal(0);
  });

  it('ignores a block it already applied and refuses a gap, keeping its height', async function () {
    const a = await register();
    commit([kyc(a.writes)]);
    next = 1;
    expect(commit([kyc([{ key: attestationKey(a.id) }])])).to.equal(false);
    expect(replica.status(a.id, '2026-07-01T00:00:00.000Z').status).to.equal('VALID');
    next = 5;
    expect(() => commit([])).to.throw(/block 5 arrived while block 3 was expected/);
    expect(replica.height).to.equal(3n);
  });

  it('applies nothing of a block holding a broken value', async function () {
    const a = await register();
    commit([kyc(a.writes)]);
    expect(() => commit([kyc([{ key: attestationKey(a.id) }, { key: '\u0000accreditation\u0000Certifier1MSP\u0000', value: '{broken' }])])).to.throw();
    expect(replica.height).to.equal(3n);
    expect(replica.status(a.id, '2026-07-01T00:00:00.000Z').status).to.equal('VALID');
  });
});
