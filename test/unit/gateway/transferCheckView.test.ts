import { expect } from 'chai';
import { canonicalize } from 'json-canonicalize';
import { peer } from '@hyperledger/fabric-protos';
import type { Key } from '@kyc-ledger/crypto';
import { AssetContract, AttestationContract, InvestorContract, RegistrationContract, RegistryContract, TransferContract, type Attestation } from '@kyc-ledger/chaincode';
import { ChaincodeError } from '@kyc-ledger/chaincode/dist/errors';
import {
  committedWritesWithPrivateData, createTransferCheckView, isGatewayError, type CommittedBlock, type LedgerClient, type TransferCheck, type TransferCheckView,
} from '@kyc-ledger/gateway';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { encodeBlockAndPrivateData, stateWrites, type TestCollectionWrites, type TestTransaction } from '../../support/encodeBlock';
import { approve, investorRecord, officerKeys } from '../../support/investorFixtures';
import { createStubContext, type StubContext } from '../../support/stubContext';

const NETWORK = 'kyc-ledger/kyc';
const ASSET = 'EQ-2031';
const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Records what a stubbed chaincode run wrote, phase by phase, as the blocks with private data a
 * peer would deliver: each phase's public and private changes, purges flagged as purges.
 */
class BlockRecorder {
  readonly blocks: Uint8Array[] = [];
  #state = new Map<string, Uint8Array>();
  #private = new Map<string, Map<string, Uint8Array>>();
  #purged = 0;

  constructor(private readonly stub: StubContext) {}

  /** One block of one transaction holding everything written since the last call. */
  cut(): void {
    const purged = this.stub.purged.slice(this.#purged);
    this.#purged = this.stub.purged.length;
    const collections: TestCollectionWrites[] = [];
    for (const name of new Set([...this.#private.keys(), ...this.stub.privateState.keys()])) {
      const after = this.stub.privateState.get(name) ?? new Map<string, Uint8Array>();
      const writes = stateWrites(this.#private.get(name) ?? new Map(), after)
        .map((w) => (w.value === undefined && purged.some((p) => p.collection === name && p.key === w.key) ? { ...w, purge: true } : w));
      if (writes.length > 0) collections.push({ namespace: 'kyc', collection: name, writes });
      this.#private.set(name, new Map(after));
    }
    const tx: TestTransaction = { actions: [[{ namespace: 'kyc', writes: stateWrites(this.#state, this.stub.state) }]], private: collections };
    this.#state = new Map(this.stub.state);
    this.blocks.push(encodeBlockAndPrivateData(this.blocks.length, [tx]));
  }
}

/** A ledger double that streams the recorded blocks and has no peer to ask. */
function replayLedger(blocks: Uint8Array[]): LedgerClient & { peerReads: number } {
  const ledger = {
    peerReads: 0,
    async evaluate<T>(): Promise<T> {
      ledger.peerReads++;
      throw new Error('the peer was asked');
    },
    async submit() { throw new Error('not used'); },
    async ping() {},
    async chainHeight() { return BigInt(blocks.length); },
    watchBlocksWithPrivateData: (start: bigint, collections: (name: string) => boolean, onBlock: (b: CommittedBlock) => void, signal: AbortSignal, onOpen?: () => void) => new Promise<void>((resolve) => {
      onOpen?.();
      for (const bytes of blocks.slice(Number(start))) onBlock(committedWritesWithPrivateData(peer.BlockAndPrivateData.deserializeBinary(bytes), 'kyc', collections));
      signal.addEventListener('abort', () => resolve());
    }),
  };
  return ledger as typeof ledger & LedgerClient;
}

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}

type Outcome = { verdict: unknown } | { error: { code: string; message: string; details: unknown } };

describe('gateway transfer-check view: the replica gives transfer:detect\'s answer (stubbed chaincode as the peer)', function () {
  const registry = new RegistryContract();
  const attestations = new AttestationContract();
  const investors = new InvestorContract();
  const assets = new AssetContract();
  const registrations = new RegistrationContract();
  const transfers = new TransferContract();
  let stub: StubContext;
  let recorder: BlockRecorder;
  let keys: Key[];
  let view: TransferCheckView | undefined;
  const officers = officerKeys(3);
  const effective = T0 + DAY;

  /** Investor i: jurisdiction and type vary so that every rule gets a say. */
  const profile = (i: number) => ({
    jurisdiction: ['US', 'CH', 'DE', 'US', 'KP', 'FR'][i % 6] as string,
    investorType: i % 6 === 3 ? 'retail' : i % 6 === 0 ? 'accredited' : 'professional',
  });

  async function onboard(i: number): Promise<Key> {
    stub.setCaller('Certifier1MSP');
    const request = attestationRequest(NETWORK, { overrides: { jurisdiction: 'CH' } });
    const attestation = JSON.parse(await attestations.register(stub.ctx, JSON.stringify(request.input))) as Attestation;
    const { jurisdiction, investorType } = profile(i);
    stub.setTransient({ investor: JSON.stringify(investorRecord(`inv-${i}`, { jurisdiction, investorType, ...(investorType === 'accredited' && { accreditationExpiresAt: iso(T0 + 400 * DAY) }) })) });
    await investors.put(stub.ctx);
    stub.nextTx();
    stub.setCaller('Issuer1MSP');
    const registration = { asset: ASSET, address: request.key.accountId, investor: `inv-${i}`, certifier: 'Certifier1MSP', attestationId: attestation.id };
    const { digest } = JSON.parse(await registrations.approvalRequest(stub.ctx, JSON.stringify({ action: 'register', ...registration }))) as { digest: string };
    await registrations.register(stub.ctx, JSON.stringify({ ...registration, approvals: [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, digest, NETWORK)) }));
    stub.nextTx();
    return request.key;
  }

  before(async function () {
    stub = createStubContext();
    recorder = new BlockRecorder(stub);
    stub.setTxTime(iso(T0));
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    recorder.cut();
    stub.setCaller('Issuer1MSP');
    await assets.create(stub.ctx, JSON.stringify({ id: ASSET, name: 'Equity 2031', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } }));
    await assets.publishRuleSet(stub.ctx, JSON.stringify({
      kind: 'securities', scope: ASSET, effectiveFrom: iso(effective),
      rules: {
        jurisdictions: { blocked: ['KP'] },
        investorTypes: { byJurisdiction: { US: { investorTypes: ['accredited'] }, '*': { investorTypes: ['retail', 'professional', 'accredited'] } } },
        holderCaps: { total: 1000, byCountry: { US: 1 } },
        maxBalance: { default: '5000' },
        lockUp: { periods: [{ jurisdictions: ['US'], days: 30 }] },
      },
    }));
    // Banking rules through governance: admins of three of the four members.
    const payload = { kind: 'banking', scope: 'consortium', effectiveFrom: iso(effective), rules: { requiredClaims: { claimTopics: ['identity'], minAssuranceLevel: 'substantial' }, amlScreening: { maxAgeDays: 365 }, jurisdictionLists: { sanctioned: ['KP'], highRisk: ['YE'], highRiskPolicy: { policy: 'block' } } } };
    stub.setCaller('Bank1MSP', true);
    const proposal = JSON.parse(await registry.propose(stub.ctx, JSON.stringify({ action: 'publishRuleSet', payload }))) as { id: string };
    for (const org of ['Bank2MSP', 'Issuer1MSP']) {
      stub.nextTx();
      stub.setCaller(org, true);
      await registry.approve(stub.ctx, proposal.id);
    }
    recorder.cut();
    keys = [];
    for (let i = 0; i < 8; i++) keys.push(await onboard(i));
    recorder.cut();
    // Issuances after the rules take effect; the US holder cap of 1 is then reached.
    stub.setTxTime(iso(effective + 1000));
    stub.setCaller('Issuer1MSP');
    for (const i of [0, 1, 2, 5]) {
      await stub.tx(() => transfers.execute(stub.ctx, JSON.stringify({ asset: ASSET, to: (keys[i] as Key).accountId, amount: '1000' })));
      stub.nextTx();
    }
    recorder.cut();
    // A full transfer away (purges the sender's holding), a frozen address, an erased investor.
    stub.setTxTime(iso(effective + 2000));
    await transfers.execute(stub.ctx, JSON.stringify({ asset: ASSET, from: (keys[5] as Key).accountId, to: (keys[1] as Key).accountId, amount: '1000' }));
    stub.nextTx();
    await registrations.freeze(stub.ctx, JSON.stringify({ asset: ASSET, address: (keys[2] as Key).accountId }));
    stub.nextTx();
    await investors.erase(stub.ctx, JSON.stringify({ issuer: 'Issuer1MSP', certifier: 'Certifier1MSP', id: 'inv-6' }));
    recorder.cut();
    expect(stub.purged.map((p) => p.key.split('\u0000')[1])).to.include.members(['holding', 'investor']);
  });

  afterEach(async function () {
    await view?.close();
    view = undefined;
  });

  async function peerAnswer(check: TransferCheck, at: number, caller = 'Issuer1MSP'): Promise<Outcome> {
    stub.setCaller(caller);
    stub.setTxTime(iso(at));
    try {
      return { verdict: JSON.parse(await transfers.detect(stub.ctx, canonicalize(check))) as unknown };
    } catch (error) {
      if (!(error instanceof ChaincodeError)) throw error;
      return { error: { code: error.code, message: (JSON.parse(error.message) as { message: string }).message, details: error.details } };
    }
  }

  async function replicaAnswer(v: TransferCheckView, check: TransferCheck, at: number): Promise<Outcome> {
    try {
      return { verdict: await v.detect(check, new Date(at)) };
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      return { error: { code: error.code, message: error.message, details: error.details } };
    }
  }

  async function caughtUpView(mspId = 'Issuer1MSP') {
    const ledger = replayLedger(recorder.blocks);
    const v = createTransferCheckView(ledger, { mspId, channel: 'kyc', heightCheckMs: 10 });
    await until(() => v.caughtUp);
    return { v, ledger };
  }

  it('answers every scenario exactly as transfer:detect does, without asking the peer', async function () {
    const { v, ledger } = await caughtUpView();
    view = v;
    const a = (i: number) => (keys[i] as Key).accountId;
    const scenarios: [TransferCheck, number][] = [];
    const times = [T0 + 1000, effective + 3000, effective + 31 * DAY];
    for (const at of times) {
      for (let from = 0; from < keys.length; from++) {
        for (const to of [1, 3, 4, 6, 7]) if (from !== to) scenarios.push([{ asset: ASSET, from: a(from), to: a(to), amount: String(100 * (1 + ((from + to) % 7))) }, at]);
      }
      for (const to of [0, 3, 7]) scenarios.push([{ asset: ASSET, to: a(to), amount: '10' }, at]);
      scenarios.push([{ asset: ASSET, from: a(1), to: a(7), amount: '4500' }, at]);
      scenarios.push([{ asset: ASSET, from: a(1), to: 'eip155:1:0x00000000000000000000000000000000000000ff', amount: '1' }, at]);
    }
    scenarios.push([{ asset: 'NO-SUCH-ASSET', to: a(1), amount: '1' }, effective + 3000]);
    scenarios.push([{ asset: ASSET, to: 'not-an-address', amount: '1' }, effective + 3000]);
    const codes = new Set<number | string>();
    for (const [check, at] of scenarios) {
      const expected = await peerAnswer(check, at);
      codes.add('verdict' in expected ? (expected.verdict as { code: number }).code : expected.error.code);
      expect(await replicaAnswer(v, check, at), JSON.stringify({ check, at: iso(at) })).to.deep.equal(expected);
    }
    // The scenarios exercise allowed transfers, several restrictions and coded errors.
    expect(codes).to.include.members([0, 'NOT_FOUND', 'INVALID_ARGUMENT']);
    expect([...codes].filter((c) => typeof c === 'number' && c !== 0).length).to.be.greaterThan(3);
    expect(ledger.peerReads).to.equal(0);
    expect(v.counts).to.include({ replica: scenarios.length, peer: 0 });
  });

  it('refuses another org\'s check with the chaincode\'s FORBIDDEN, as the peer would for that org', async function () {
    const { v } = await caughtUpView('Bank1MSP');
    view = v;
    const check = { asset: ASSET, to: (keys[1] as Key).accountId, amount: '1' };
    const expected = await peerAnswer(check, effective + 3000, 'Bank1MSP');
    expect(expected).to.have.nested.property('error.code', 'FORBIDDEN');
    expect(await replicaAnswer(v, check, effective + 3000)).to.deep.equal(expected);
  });

  it('goes to the peer until the replica has caught up, and after a commit of its own until that block is applied', async function () {
    const ledger = replayLedger(recorder.blocks);
    const never = { ...ledger, watchBlocksWithPrivateData: (_s: bigint, _c: unknown, _b: unknown, signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())) };
    const check = { asset: ASSET, to: (keys[1] as Key).accountId, amount: '1' };
    const behind = createTransferCheckView(never as LedgerClient, { mspId: 'Issuer1MSP', channel: 'kyc', heightCheckMs: 10 });
    try {
      await behind.detect(check, new Date(effective + 3000)).catch(() => undefined);
      expect(behind.counts).to.include({ replica: 0, peer: 1 });
    } finally {
      await behind.close();
    }
    const { v, ledger: caught } = await caughtUpView();
    view = v;
    v.committed(BigInt(recorder.blocks.length));
    expect(v.caughtUp).to.equal(false);
    await v.detect(check, new Date(effective + 3000)).catch(() => undefined);
    expect(caught.peerReads).to.equal(1);
  });
});
