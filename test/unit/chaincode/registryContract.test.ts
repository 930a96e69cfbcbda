import { expect } from 'chai';
import { RegistryContract, type Proposal } from '@kyc-ledger/chaincode';
import { bootstrapInput, MEMBERS } from '../../support/attestationFixtures';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';
import { changesOf, changeTypes } from '../../support/ledgerChanges';


describe('RegistryContract (stubbed context)', function () {
  const registry = new RegistryContract();
  let stub: StubContext;

  beforeEach(async function () {
    stub = createStubContext();
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.events.length = 0;
  });

  it('bootstraps once, from an admin of a listed org, and names the network id', async function () {
    const fresh = createStubContext();
    fresh.setCaller('Bank1MSP', false);
    expect((await rejection(registry.bootstrap(fresh.ctx, bootstrapInput('kyc-ledger')))).code).to.equal('FORBIDDEN');
    fresh.setCaller('StrangerMSP', true);
    expect((await rejection(registry.bootstrap(fresh.ctx, bootstrapInput('kyc-ledger')))).code).to.equal('FORBIDDEN');
    expect(fresh.state.size).to.equal(0);
    fresh.setCaller('Bank2MSP', true);
    const result = JSON.parse(await registry.bootstrap(fresh.ctx, bootstrapInput('kyc-ledger'))) as { network: string; members: unknown[] };
    expect(result.network).to.equal('kyc-ledger/kyc');
    expect(result.members).to.have.length(4);
    expect((await rejection(registry.bootstrap(fresh.ctx, bootstrapInput('kyc-ledger')))).code).to.equal('CONFLICT');
  });

  it('rejects a malformed bootstrap listing every problem', async function () {
    const fresh = createStubContext();
    fresh.setCaller('Bank1MSP', true);
    const error = await rejection(registry.bootstrap(fresh.ctx, JSON.stringify({ network: 'Bad Name', members: [{ mspId: 'Bank1MSP', name: '', roles: ['pirate'] }] })));
    expect(error.code).to.equal('INVALID_ARGUMENT');
    const problems = (error.details as { problems: string[] }).problems;
    expect(problems.some((p) => p.startsWith('network'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('members'))).to.equal(true);
    expect(fresh.state.size).to.equal(0);
  });

  it('executes a proposal only when a majority of active members approved (3 of 4)', async function () {
    const change = JSON.stringify({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } });
    const proposed = JSON.parse(await registry.propose(stub.ctx, change)) as Proposal;
    expect(proposed).to.include({ status: 'open', proposer: 'Bank1MSP' });
    stub.nextTx();
    stub.setCaller('Bank2MSP', true);
    expect((JSON.parse(await registry.approve(stub.ctx, proposed.id)) as Proposal).status).to.equal('open');
    expect(JSON.parse(await registry.getAccreditation(stub.ctx, 'Certifier1MSP'))).to.include({ status: 'active' });
    stub.nextTx();
    stub.setCaller('Issuer1MSP', true);
    const executed = JSON.parse(await registry.approve(stub.ctx, proposed.id)) as Proposal;
    expect(executed.status).to.equal('executed');
    expect(executed.approvals).to.deep.equal(['Bank1MSP', 'Bank2MSP', 'Issuer1MSP']);
    expect(JSON.parse(await registry.getAccreditation(stub.ctx, 'Certifier1MSP'))).to.include({ status: 'revoked' });
    // One event per transaction: the approval that executes the proposal reports both changes.
    expect(changeTypes(stub.events)).to.deep.equal([['ProposalCreated'], ['ProposalApproved'], ['ProposalApproved', 'AccreditationRevoked', 'ProposalExecuted']]);
    expect(changesOf(stub.events[2] as never)).to.deep.equal([
      { type: 'ProposalApproved', id: proposed.id, approver: 'Issuer1MSP' },
      { type: 'AccreditationRevoked', certifier: 'Certifier1MSP', revokedAt: executed.executedAt },
      { type: 'ProposalExecuted', id: proposed.id, action: 'deaccredit' },
    ]);
  });

  it('refuses approvals from non-admins, repeated approvals and approvals of executed proposals', async function () {
    const proposed = JSON.parse(await registry.propose(stub.ctx, JSON.stringify({ action: 'removeMember', payload: { mspId: 'Bank2MSP' } }))) as Proposal;
    expect((await rejection(registry.approve(stub.ctx, proposed.id))).code).to.equal('CONFLICT');
    stub.setCaller('Bank2MSP', false);
    expect((await rejection(registry.approve(stub.ctx, proposed.id))).code).to.equal('FORBIDDEN');
    stub.setCaller('Certifier1MSP', true);
    await registry.approve(stub.ctx, proposed.id);
    stub.setCaller('Issuer1MSP', true);
    await registry.approve(stub.ctx, proposed.id);
    const members = JSON.parse(await registry.listMembers(stub.ctx)) as { mspId: string; status: string }[];
    expect(members.find((m) => m.mspId === 'Bank2MSP')?.status).to.equal('removed');
    stub.setCaller('Bank1MSP', true);
    expect((await rejection(registry.approve(stub.ctx, proposed.id))).code).to.equal('CONFLICT');
  });

  it('rejects proposals that could never execute, and bad proposal input', async function () {
    expect((await rejection(registry.propose(stub.ctx, JSON.stringify({ action: 'addMember', payload: MEMBERS[1] })))).code).to.equal('CONFLICT');
    expect((await rejection(registry.propose(stub.ctx, JSON.stringify({ action: 'accredit', payload: { certifier: 'Bank1MSP', countries: ['CH'], claimTopics: ['identity'], maxAssuranceLevel: 'low', validFrom: '2025-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' } })))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(registry.propose(stub.ctx, '{"action":"dissolve"}'))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(registry.propose(stub.ctx, 'not json'))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(registry.getProposal(stub.ctx, 'x'))).code).to.equal('INVALID_ARGUMENT');
  });
});
