import { expect } from 'chai';
import { accreditationListSchema, proposalListSchema } from '@kyc-ledger/api';
import { AttestationContract, RegistryContract, type Accreditation, type Attestation, type AttestationStatus, type Proposal } from '@kyc-ledger/chaincode';
import { storedRuleSetSchema } from '@kyc-ledger/rules';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';
import { changesOf, changeTypes } from '../../support/ledgerChanges';

const T0 = '2026-06-01T12:00:00.000Z';
const banking = (effectiveFrom: string, sanctioned: string[]) => ({
  kind: 'banking', scope: 'consortium', effectiveFrom,
  rules: { requiredClaims: { claimTopics: ['identity'], minAssuranceLevel: 'substantial' }, jurisdictionLists: { sanctioned, highRisk: [], highRiskPolicy: { policy: 'block' } } },
});

describe('RegistryContract governance reads and member removal (stubbed context)', function () {
  const registry = new RegistryContract();
  const attestations = new AttestationContract();
  let stub: StubContext;

  /** Proposes as Bank1's admin, then approves as the others until it executes; returns the last answer. */
  async function carry(change: unknown, approvers = ['Bank2MSP', 'Issuer1MSP']): Promise<Proposal> {
    stub.nextTx();
    stub.setCaller('Bank1MSP', true);
    let proposal = JSON.parse(await registry.propose(stub.ctx, JSON.stringify(change))) as Proposal;
    for (const admin of approvers) {
      stub.nextTx();
      stub.setCaller(admin, true);
      proposal = JSON.parse(await registry.approve(stub.ctx, proposal.id)) as Proposal;
    }
    return proposal;
  }

  beforeEach(async function () {
    stub = createStubContext();
    stub.setTxTime(T0);
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.events.length = 0;
  });

  it('lists proposals newest first, filtered by status, in the shared output schema', async function () {
    const executed = await carry({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } });
    stub.setTxTime('2026-06-02T00:00:00.000Z');
    const open = await carry({ action: 'removeMember', payload: { mspId: 'Bank2MSP' } }, []);
    const all = proposalListSchema.parse(JSON.parse(await registry.listProposals(stub.ctx, '')));
    expect(all.map((p) => [p.id, p.status])).to.deep.equal([[open.id, 'open'], [executed.id, 'executed']]);
    expect(JSON.parse(await registry.listProposals(stub.ctx, 'open'))).to.deep.equal([all[0]]);
    expect(JSON.parse(await registry.listProposals(stub.ctx, 'executed'))).to.deep.equal([all[1]]);
    expect((await rejection(registry.listProposals(stub.ctx, 'closed'))).code).to.equal('INVALID_ARGUMENT');
  });

  it('lists accreditations, active and revoked', async function () {
    const before = accreditationListSchema.parse(JSON.parse(await registry.listAccreditations(stub.ctx)));
    expect(before.map((a) => [a.certifier, a.status])).to.deep.equal([['Certifier1MSP', 'active']]);
    await carry({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } });
    const after = accreditationListSchema.parse(JSON.parse(await registry.listAccreditations(stub.ctx)));
    expect(after.map((a) => [a.certifier, a.status, a.revokedAt])).to.deep.equal([['Certifier1MSP', 'revoked', T0]]);
  });

  it('lists the banking rule set versions with their hashes, oldest first', async function () {
    expect(JSON.parse(await registry.listRuleSets(stub.ctx))).to.deep.equal([]);
    await carry({ action: 'publishRuleSet', payload: banking('2026-09-01T00:00:00Z', ['KP', 'IR']) });
    await carry({ action: 'publishRuleSet', payload: banking('2026-07-01T00:00:00Z', ['KP']) });
    const list = (JSON.parse(await registry.listRuleSets(stub.ctx)) as unknown[]).map((v) => storedRuleSetSchema.parse(v));
    expect(list.map((v) => v.ruleSet.effectiveFrom)).to.deep.equal(['2026-07-01T00:00:00Z', '2026-09-01T00:00:00Z']);
    expect(list.every((v) => /^[0-9a-f]{64}$/.test(v.hash) && v.publishedAt === T0 && v.publishedBy === 'consortium')).to.equal(true);
    expect(new Set(list.map((v) => v.hash)).size).to.equal(2);
  });

  it('removing a certifier org revokes its accreditation in the same transaction, and its attestations stop verifying', async function () {
    stub.setCaller('Certifier1MSP');
    const { id } = JSON.parse(await attestations.register(stub.ctx, JSON.stringify(attestationRequest('kyc-ledger/kyc').input))) as Attestation;
    const at = '2026-07-01T00:00:00.000Z';
    expect((JSON.parse(await attestations.status(stub.ctx, id, at)) as AttestationStatus).status).to.equal('VALID');
    stub.events.length = 0;
    stub.setTxTime('2026-06-15T00:00:00.000Z');
    const proposal = await carry({ action: 'removeMember', payload: { mspId: 'Certifier1MSP' } });
    expect(proposal.status).to.equal('executed');
    const acc = JSON.parse(await registry.getAccreditation(stub.ctx, 'Certifier1MSP')) as Accreditation;
    expect(acc).to.include({ status: 'revoked', revokedAt: '2026-06-15T00:00:00.000Z' });
    // The executing approval's one event names everything it did, the de-accreditation first.
    expect(changeTypes(stub.events).at(-1)).to.deep.equal(['ProposalApproved', 'AccreditationRevoked', 'MemberRemoved', 'ProposalExecuted']);
    expect(changesOf(stub.events.at(-1) as never)[1]).to.deep.equal({ type: 'AccreditationRevoked', certifier: 'Certifier1MSP', revokedAt: '2026-06-15T00:00:00.000Z' });
    const status = JSON.parse(await attestations.status(stub.ctx, id, at)) as AttestationStatus;
    expect(status).to.include({ valid: false, status: 'CERTIFIER_NOT_ACCREDITED' });
  });

  it('removing an org without an accreditation revokes nothing', async function () {
    await carry({ action: 'removeMember', payload: { mspId: 'Bank2MSP' } }, ['Certifier1MSP', 'Issuer1MSP']);
    expect(changeTypes(stub.events).at(-1)).to.deep.equal(['ProposalApproved', 'MemberRemoved', 'ProposalExecuted']);
    expect(JSON.parse(await registry.getAccreditation(stub.ctx, 'Certifier1MSP'))).to.include({ status: 'active' });
  });

  it('a de-accreditation reports the revoked accreditation in the executing transaction\'s event', async function () {
    await carry({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } });
    expect(changeTypes(stub.events).at(-1)).to.deep.equal(['ProposalApproved', 'AccreditationRevoked', 'ProposalExecuted']);
  });
});
