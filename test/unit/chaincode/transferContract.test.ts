import { expect } from 'chai';
import type { Key } from '@kyc-ledger/crypto';
import {
  AssetContract,
  AttestationContract,
  InvestorContract,
  RegistrationContract,
  RegistryContract,
  TransferContract,
  type Attestation,
  type Decision,
  type Proposal,
} from '@kyc-ledger/chaincode';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { approve, investorRecord, officerKeys } from '../../support/investorFixtures';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';

const NETWORK = 'kyc-ledger/kyc';
const ASSET = 'FUND-A';
const T0 = '2026-06-01T12:00:00.000Z';
const ISSUER_COLLECTION = 'issuer__Issuer1MSP';
const INVESTOR_COLLECTION = 'investor__Issuer1MSP__Certifier1MSP';

interface Verdict {
  code: number;
  reasons: { name: string }[];
  ruleSetHashes: { banking?: string; securities?: string };
}

describe('TransferContract: checks, cap table and decisions (stubbed context)', function () {
  const registry = new RegistryContract();
  const attestations = new AttestationContract();
  const assets = new AssetContract();
  const investors = new InvestorContract();
  const registrations = new RegistrationContract();
  const transfers = new TransferContract();
  let stub: StubContext;
  let officers: Key[];
  const people: Record<string, Key> = {};

  const json = <T>(s: string) => JSON.parse(s) as T;
  const privateSnapshot = () => JSON.stringify([...stub.privateState.entries()].map(([k, v]) => [k, [...v.entries()]]));
  const detect = async (to: string, amount: string, from?: string) => json<Verdict>(await transfers.detect(stub.ctx, JSON.stringify({ asset: ASSET, to: people[to]?.accountId, amount, ...(from && { from: people[from]?.accountId }) })));
  const execute = (to: string, amount: string, from?: string) => stub.tx(() => transfers.execute(stub.ctx, JSON.stringify({ asset: ASSET, to: people[to]?.accountId, amount, ...(from && { from: people[from]?.accountId }) })));
  const holding = async (name: string) => json<{ holding: { balance: string; acquiredAt: string } | null; holders: { total: number; byCountry: Record<string, number> } }>(
    await transfers.holding(stub.ctx, JSON.stringify({ asset: ASSET, address: people[name]?.accountId })),
  );

  /** Attests, records and registers one investor (2 of 3 officers). */
  async function onboard(name: string, jurisdiction: string, investorType: string): Promise<void> {
    stub.setCaller('Certifier1MSP');
    const request = attestationRequest(NETWORK);
    const attestation = json<Attestation>(await attestations.register(stub.ctx, JSON.stringify(request.input)));
    stub.setTransient({ investor: JSON.stringify(investorRecord(`inv-${name}`, { jurisdiction, investorType, ...(investorType === 'accredited' && { accreditationExpiresAt: '2027-06-01T00:00:00Z' }) })) });
    await investors.put(stub.ctx);
    stub.setCaller('Issuer1MSP');
    const registration = { asset: ASSET, address: request.key.accountId, investor: `inv-${name}`, certifier: 'Certifier1MSP', attestationId: attestation.id };
    const { digest } = json<{ digest: string }>(await registrations.approvalRequest(stub.ctx, JSON.stringify({ action: 'register', ...registration })));
    await registrations.register(stub.ctx, JSON.stringify({ ...registration, approvals: [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, digest, NETWORK)) }));
    people[name] = request.key;
    stub.nextTx();
  }

  beforeEach(async function () {
    stub = createStubContext();
    stub.setTxTime(T0);
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    // Banking rules through governance: proposed by one admin, executed by a majority (3 of 4).
    const banking = { kind: 'banking', scope: 'consortium', effectiveFrom: T0, rules: { requiredClaims: { claimTopics: ['identity'], minAssuranceLevel: 'substantial' }, jurisdictionLists: { sanctioned: ['KP'], highRisk: [], highRiskPolicy: { policy: 'block' } } } };
    let proposal = json<Proposal>(await registry.propose(stub.ctx, JSON.stringify({ action: 'publishRuleSet', payload: banking })));
    for (const admin of ['Bank2MSP', 'Issuer1MSP']) {
      stub.setCaller(admin, true);
      stub.nextTx();
      proposal = json<Proposal>(await registry.approve(stub.ctx, proposal.id));
    }
    expect(proposal.status).to.equal('executed');
    stub.setCaller('Issuer1MSP');
    officers = officerKeys(3);
    await assets.create(stub.ctx, JSON.stringify({ id: ASSET, name: 'Fund A', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } }));
    await assets.publishRuleSet(stub.ctx, JSON.stringify({
      kind: 'securities', scope: ASSET, effectiveFrom: T0,
      rules: {
        investorTypes: { byJurisdiction: { US: { investorTypes: ['accredited'] }, '*': { investorTypes: ['retail', 'professional', 'accredited'] } } },
        holderCaps: { byCountry: { CH: 2 } },
        maxBalance: { default: '1000' },
      },
    }));
    await onboard('anna', 'CH', 'retail');
    await onboard('bruno', 'CH', 'professional');
    await onboard('carla', 'CH', 'retail');
    await onboard('dave', 'US', 'retail');
  });

  it('records an issuance in the issuer\'s collection only, and counts holders per country', async function () {
    const publicBefore = JSON.stringify([...stub.state.entries()]);
    const answer = json<Record<string, unknown>>(await execute('anna', '600'));
    expect(answer).to.deep.equal({ asset: ASSET, recorded: true, code: 0 });
    expect(JSON.stringify([...stub.state.entries()]), 'no public write').to.equal(publicBefore);
    expect([...(stub.privateState.get(ISSUER_COLLECTION)?.keys() ?? [])].length).to.equal(2);
    const anna = await holding('anna');
    expect(anna.holding).to.deep.include({ balance: '600', acquiredAt: T0 });
    expect(anna.holders).to.deep.equal({ total: 1, byCountry: { CH: 1 } });
  });

  it('refuses a restricted transfer with TRANSFER_RESTRICTED and every reason, and changes nothing', async function () {
    await execute('anna', '600');
    await execute('bruno', '100');
    const before = privateSnapshot();
    const error = await rejection(execute('carla', '5000'));
    expect(error.code).to.equal('TRANSFER_RESTRICTED');
    expect((error.details as Verdict).reasons.map((r) => r.name)).to.deep.equal(['COUNTRY_HOLDER_CAP', 'MAX_BALANCE']);
    expect(privateSnapshot()).to.equal(before);
    expect((await detect('dave', '1')).reasons.map((r) => r.name)).to.deep.equal(['INVESTOR_TYPE_NOT_ALLOWED']);
  });

  it('a sender giving away its whole balance frees its country slot; the recipient keeps its first acquisition time', async function () {
    await execute('anna', '600');
    await execute('bruno', '100');
    expect((await detect('carla', '10', 'anna')).reasons.map((r) => r.name)).to.deep.equal(['COUNTRY_HOLDER_CAP']);
    expect((await detect('carla', '600', 'anna')).code, 'anna leaves, carla joins').to.equal(0);
    stub.setTxTime('2026-06-02T00:00:00.000Z');
    stub.nextTx();
    await execute('bruno', '50', 'anna');
    expect((await holding('bruno')).holding).to.deep.include({ balance: '150', acquiredAt: T0 });
    await execute('bruno', '550', 'anna');
    const after = await holding('anna');
    expect(after.holding).to.equal(null);
    expect(after.holders).to.deep.equal({ total: 1, byCountry: { CH: 1 } });
  });

  /** Every private value as text, per collection. */
  const privateText = (name: string) => [...(stub.privateState.get(name)?.values() ?? [])].map((v) => v.toString('utf8')).join('\n');
  const ref = (id: string) => JSON.stringify({ issuer: 'Issuer1MSP', certifier: 'Certifier1MSP', id });

  /** Records a transfer decision in its own transaction; its id. */
  async function recordDecision(to: string, amount: string, from?: string): Promise<string> {
    stub.nextTx();
    const answer = json<{ id: string }>(await stub.tx(() => transfers.record(stub.ctx, JSON.stringify({ asset: ASSET, to: people[to]?.accountId, amount, ...(from && { from: people[from]?.accountId }) }))));
    stub.nextTx();
    return answer.id;
  }

  it('records a decision privately: the verdict in the issuer\'s collection, the person\'s inputs in the investor collection; the answer names it only', async function () {
    const answer = json<Record<string, unknown>>(await transfers.record(stub.ctx, JSON.stringify({ asset: ASSET, to: people['dave']?.accountId, amount: '5' })));
    expect(Object.keys(answer).sort()).to.deep.equal(['asset', 'id', 'recordedAt']);
    const decision = json<Decision>(await transfers.decision(stub.ctx, JSON.stringify({ asset: ASSET, id: answer['id'] })));
    expect(decision.verdict.reasons.map((r) => r.name)).to.deep.equal(['INVESTOR_TYPE_NOT_ALLOWED']);
    expect(decision.input?.to.investor).to.include({ jurisdiction: 'US', investorType: 'retail' });
    expect(decision.verdict.ruleSetHashes.banking).to.match(/^[0-9a-f]{64}$/);
    const own = privateText(ISSUER_COLLECTION);
    expect(own).to.contain(decision.verdict.inputsHash);
    expect(own, 'no attribute in the issuer\'s own collection').to.not.contain('"investorType"');
    expect(own, 'no address either').to.not.contain(people['dave']?.accountId);
  });

  for (const [asker, other] of [['Certifier1MSP', 'Issuer1MSP'], ['Issuer1MSP', 'Certifier1MSP']] as const) {
    it(`erasure asked by ${asker} first: one transaction purges the record and every decision input, point reads only; ${other} is then told ERASED`, async function () {
      const ids = [await recordDecision('dave', '5'), await recordDecision('dave', '7'), await recordDecision('anna', '9')];
      const address = people['dave']?.accountId as string;
      expect(privateText(INVESTOR_COLLECTION)).to.contain(address);
      stub.setCaller(asker);
      stub.nextTx();
      const erased = json<{ decisionsPurged: number; recordPurged: boolean; erasedBy: string }>(await stub.tx(() => investors.erase(stub.ctx, ref('inv-dave'))));
      expect(erased).to.include({ decisionsPurged: 2, recordPurged: true, erasedBy: asker });
      expect(stub.purged.map((p) => p.collection), 'only the collection both parties are members of').to.deep.equal(Array(4).fill(INVESTOR_COLLECTION));
      for (const name of [INVESTOR_COLLECTION, ISSUER_COLLECTION]) expect(privateText(name), name).to.not.contain(address);

      stub.setCaller('Issuer1MSP');
      stub.nextTx();
      for (const id of ids.slice(0, 2)) {
        const decision = json<Decision>(await transfers.decision(stub.ctx, JSON.stringify({ asset: ASSET, id })));
        expect([decision.input, decision.erased]).to.deep.equal([undefined, ['to']]);
        expect(decision.verdict.inputsHash, 'the verdict and hashes stay').to.match(/^[0-9a-f]{64}$/);
      }
      expect(json<Decision>(await transfers.decision(stub.ctx, JSON.stringify({ asset: ASSET, id: ids[2] }))).input, 'another investor\'s decision keeps its inputs').to.not.equal(undefined);
      expect((await detect('dave', '1')).reasons.map((r) => r.name), 'a check answers with a restriction code').to.deep.equal(['INVESTOR_RECORD_MISSING']);

      stub.setCaller(other);
      const before = privateSnapshot();
      expect((await rejection(investors.get(stub.ctx, ref('inv-dave')))).code).to.equal('ERASED');
      stub.nextTx();
      const again = await rejection(stub.tx(() => investors.erase(stub.ctx, ref('inv-dave'))));
      expect([again.code, (again.details as { erasedBy: string }).erasedBy]).to.deep.equal(['ERASED', asker]);
      expect(privateSnapshot()).to.equal(before);
      expect((await rejection(investors.get(stub.ctx, ref('inv-nobody')))).code).to.equal('NOT_FOUND');
    });
  }

  it('a bank may not erase an investor record', async function () {
    stub.setCaller('Bank1MSP');
    stub.nextTx();
    expect((await rejection(stub.tx(() => investors.erase(stub.ctx, ref('inv-dave'))))).code).to.equal('FORBIDDEN');
  });

  it('refuses a transfer to oneself, which would otherwise count the holding twice', async function () {
    await execute('anna', '600');
    const before = privateSnapshot();
    expect((await rejection(execute('anna', '100', 'anna'))).code).to.equal('INVALID_ARGUMENT');
    expect(privateSnapshot()).to.equal(before);
  });

  it('lets only the asset\'s issuer check, and says so when the peer cannot read the private data', async function () {
    stub.setCaller('Bank1MSP');
    expect((await rejection(detect('anna', '1'))).code).to.equal('FORBIDDEN');
    stub.setCaller('Issuer1MSP');
    stub.setPeerCollections([]);
    const unavailable = await rejection(detect('anna', '1'));
    expect(unavailable.code).to.equal('PRIVATE_DATA_UNAVAILABLE');
    // The peer's own message (here the stub's copy of it) names internals and is not passed on.
    expect(Object.keys(unavailable.details as object)).to.deep.equal(['collection']);
    expect(unavailable.message).not.to.contain('GET_STATE failed');
  });

  it('rule sets: every problem listed, never in the past, identical content unchanged, another version at the same instant refused', async function () {
    const bad = await rejection(stub.tx(() => assets.publishRuleSet(stub.ctx, JSON.stringify({ kind: 'securities', scope: ASSET, effectiveFrom: 'soon', rules: { maxBalance: { default: '-5' }, jurisdictions: { allowed: ['ZZ'], blocked: ['ZZ'] } } }))));
    expect(bad.code).to.equal('INVALID_ARGUMENT');
    expect((bad.details as { problems: string[] }).problems.length).to.be.greaterThanOrEqual(3);
    const past = { kind: 'securities', scope: ASSET, effectiveFrom: '2026-05-01T00:00:00Z', rules: { maxBalance: { default: '10' } } };
    expect((await rejection(assets.publishRuleSet(stub.ctx, JSON.stringify(past)))).code).to.equal('INVALID_ARGUMENT');
    const future = { ...past, effectiveFrom: '2026-07-01T00:00:00Z' };
    const first = json<{ hash: string; unchanged: boolean }>(await assets.publishRuleSet(stub.ctx, JSON.stringify(future)));
    expect(first.unchanged).to.equal(false);
    expect(json<{ unchanged: boolean }>(await assets.publishRuleSet(stub.ctx, JSON.stringify(future))).unchanged).to.equal(true);
    expect((await rejection(assets.publishRuleSet(stub.ctx, JSON.stringify({ ...future, rules: { maxBalance: { default: '11' } } })))).code).to.equal('CONFLICT');
    // The same instant spelled with milliseconds is the same version slot.
    expect((await rejection(assets.publishRuleSet(stub.ctx, JSON.stringify({ ...future, effectiveFrom: '2026-07-01T00:00:00.000Z', rules: { maxBalance: { default: '12' } } })))).code).to.equal('CONFLICT');
    const banking = { kind: 'banking', scope: 'consortium', effectiveFrom: '2026-07-01T00:00:00Z', rules: {} };
    expect((await rejection(assets.publishRuleSet(stub.ctx, JSON.stringify(banking)))).code).to.equal('INVALID_ARGUMENT');
    // The version in force follows the transaction time.
    expect((await detect('anna', '500')).code).to.equal(0);
    stub.setTxTime('2026-07-01T00:00:00.000Z');
    expect((await detect('anna', '500')).reasons.map((r) => r.name)).to.deep.equal(['MAX_BALANCE']);
    expect((await detect('anna', '500')).ruleSetHashes.securities).to.equal(first.hash);
  });
});
