import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { LEDGER_EVENT_NAME, ledgerChangeSchema } from '@kyc-ledger/api';
import { ProbeContract, RegistryContract, type Proposal } from '@kyc-ledger/chaincode';
import { recordChange } from '@kyc-ledger/chaincode/dist/events';
import { bootstrapInput } from '../../support/attestationFixtures';
import { changesOf, changeTypes } from '../../support/ledgerChanges';
import { createStubContext } from '../../support/stubContext';

describe('one event per transaction (stubbed context keeps Fabric rules)', function () {
  it('a transaction that records several changes sets one event listing all of them, in order', async function () {
    const stub = createStubContext();
    await stub.tx(async () => {
      recordChange(stub.ctx, { type: 'ProposalApproved', id: 'p', approver: 'Bank1MSP' });
      recordChange(stub.ctx, { type: 'ProposalExecuted', id: 'p', action: 'deaccredit' });
    });
    expect(stub.events.map((e) => e.name)).to.deep.equal([LEDGER_EVENT_NAME]);
    expect(changesOf(stub.events[0] as never)).to.deep.equal([
      { type: 'ProposalApproved', id: 'p', approver: 'Bank1MSP' },
      { type: 'ProposalExecuted', id: 'p', action: 'deaccredit' },
    ]);
  });

  it('the approval that executes a rule-set proposal reports the approval, the publication and the execution', async function () {
    const stub = createStubContext();
    const registry = new RegistryContract();
    const T0 = '2026-06-01T00:00:00.000Z';
    stub.setTxTime(T0);
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    const banking = { kind: 'banking', scope: 'consortium', effectiveFrom: T0, rules: { requiredClaims: { claimTopics: ['identity'], minAssuranceLevel: 'substantial' }, jurisdictionLists: { sanctioned: ['KP'], highRisk: [], highRiskPolicy: { policy: 'block' } } } };
    let proposal = JSON.parse(await registry.propose(stub.ctx, JSON.stringify({ action: 'publishRuleSet', payload: banking }))) as Proposal;
    for (const admin of ['Bank2MSP', 'Issuer1MSP']) {
      stub.setCaller(admin, true);
      stub.nextTx();
      proposal = JSON.parse(await registry.approve(stub.ctx, proposal.id)) as Proposal;
    }
    expect(proposal.status).to.equal('executed');
    expect(changeTypes(stub.events)).to.deep.equal([['RegistryBootstrapped'], ['ProposalCreated'], ['ProposalApproved'], ['ProposalApproved', 'RuleSetPublished', 'ProposalExecuted']]);
  });

  it('the stub keeps only the last setEvent of a transaction, as a peer does', async function () {
    const stub = createStubContext();
    await stub.tx(async () => {
      stub.ctx.stub.setEvent('First', Buffer.from('1'));
      stub.ctx.stub.setEvent('Second', Buffer.from('2'));
    });
    expect(stub.events.map((e) => [e.name, e.payload.toString()])).to.deep.equal([['Second', '2']]);
  });

  it('reads during a transaction see the state before it; writes apply when it succeeds', async function () {
    const stub = createStubContext();
    await stub.tx(async () => { await stub.ctx.stub.putState('k', Buffer.from('old')); });
    await stub.tx(async () => {
      await stub.ctx.stub.putState('k', Buffer.from('new'));
      await stub.ctx.stub.putState('fresh', Buffer.from('x'));
      await stub.ctx.stub.putPrivateData('c', 'p', Buffer.from('secret'));
      expect((await stub.ctx.stub.getState('k')).toString()).to.equal('old');
      expect((await stub.ctx.stub.getState('fresh')).length).to.equal(0);
      expect((await stub.ctx.stub.getPrivateData('c', 'p')).length).to.equal(0);
      const iterator = await stub.ctx.stub.getStateByPartialCompositeKey('t', []);
      expect((await iterator.next()).done).to.equal(true);
    });
    expect(stub.state.get('k')?.toString()).to.equal('new');
    expect(stub.privateState.get('c')?.get('p')?.toString()).to.equal('secret');
  });

  it('a failed transaction applies no write, delete, purge or event', async function () {
    const stub = createStubContext();
    await stub.tx(async () => {
      await stub.ctx.stub.putState('k', Buffer.from('kept'));
      await stub.ctx.stub.putPrivateData('c', 'p', Buffer.from('kept'));
    });
    const failure = new Error('simulation failed');
    const error = await stub.tx(async () => {
      await stub.ctx.stub.putState('k', Buffer.from('lost'));
      await stub.ctx.stub.deleteState('k');
      await stub.ctx.stub.purgePrivateData('c', 'p');
      stub.ctx.stub.setEvent('Lost', Buffer.from('x'));
      throw failure;
    }).catch((e: unknown) => e);
    expect(error).to.equal(failure);
    expect(stub.state.get('k')?.toString()).to.equal('kept');
    expect(stub.privateState.get('c')?.get('p')?.toString()).to.equal('kept');
    expect(stub.purged).to.deep.equal([]);
    expect(stub.events).to.deep.equal([]);
  });

  it('each direct call `contract.fn(stub.ctx, …)` is a transaction of its own, with a fresh Context', async function () {
    const stub = createStubContext('Certifier1MSP');
    stub.setCaller('Bank1MSP', true);
    await new RegistryContract().bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.nextTx();
    stub.events.length = 0;
    stub.setCaller('Certifier1MSP', true);
    const probe = new ProbeContract();
    const first = stub.ctx;
    await probe.put(first, 'k-1', 'one');
    expect(stub.ctx).to.not.equal(first);
    expect(JSON.parse(await probe.get(stub.ctx, 'Certifier1MSP', 'k-1'))).to.include({ value: 'one' });
    stub.nextTx();
    await probe.put(stub.ctx, 'k-1', 'two');
    // One event per call, each carrying only its own change.
    expect(changeTypes(stub.events)).to.deep.equal([['ProbeValueSet'], ['ProbeValueSet']]);
  });

  it('no chaincode module but events.ts calls setEvent, so no path can set a second event', function () {
    const dir = resolve(__dirname, '../../../../chaincode/src');
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const calling = files.filter((f) => /\bsetEvent\s*\(/.test(readFileSync(join(dir, f), 'utf8')));
    expect(calling).to.deep.equal(['events.ts']);
  });

  it('the change schema refuses unknown types and extra fields (a client can trust what it parses)', function () {
    expect(ledgerChangeSchema.safeParse({ type: 'ProposalApproved', id: 'p', approver: 'Bank1MSP' }).success).to.equal(true);
    expect(ledgerChangeSchema.safeParse({ type: 'ProposalApproved', id: 'p', approver: 'Bank1MSP', name: 'Anna' }).success).to.equal(false);
    expect(ledgerChangeSchema.safeParse({ type: 'Nothing', id: 'p' }).success).to.equal(false);
  });
});
