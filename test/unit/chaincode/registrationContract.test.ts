import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { openWallet } from '@kyc-ledger/wallet';
import type { Key } from '@kyc-ledger/crypto';
import {
  AssetContract,
  AttestationContract,
  InvestorContract,
  RegistrationContract,
  RegistryContract,
  approvalDigest,
  type Asset,
  type Attestation,
  type Registration,
} from '@kyc-ledger/chaincode';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { approve, investorRecord, officerKeys } from '../../support/investorFixtures';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';
import { changeTypes } from '../../support/ledgerChanges';

const NETWORK = 'kyc-ledger/kyc';
const ASSET = 'BOND-2030';

describe('RegistrationContract and AssetContract: M-of-N officer approvals (stubbed context)', function () {
  const registry = new RegistryContract();
  const attestations = new AttestationContract();
  const assets = new AssetContract();
  const investors = new InvestorContract();
  const registrations = new RegistrationContract();
  let stub: StubContext;
  let officers: Key[];
  let attestation: Attestation;
  let investorKey: Key;

  const registration = () => ({ asset: ASSET, address: investorKey.accountId, investor: 'inv-1', certifier: 'Certifier1MSP', attestationId: attestation.id });
  const digestFor = async (req: Record<string, unknown>) => (JSON.parse(await registrations.approvalRequest(stub.ctx, JSON.stringify(req))) as { digest: string }).digest;
  const register = (approvals: unknown[]) => stub.tx(() => registrations.register(stub.ctx, JSON.stringify({ ...registration(), approvals })));
  const snapshot = () => JSON.stringify([...stub.state.entries()]);

  beforeEach(async function () {
    stub = createStubContext();
    stub.setTxTime('2026-06-01T12:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.setCaller('Certifier1MSP');
    const request = attestationRequest(NETWORK);
    investorKey = request.key;
    attestation = JSON.parse(await attestations.register(stub.ctx, JSON.stringify(request.input))) as Attestation;
    stub.setTransient({ investor: JSON.stringify(investorRecord('inv-1')) });
    await investors.put(stub.ctx);
    stub.setCaller('Issuer1MSP');
    officers = officerKeys(3);
    await assets.create(stub.ctx, JSON.stringify({ id: ASSET, name: 'Bond 2030', officers: { accounts: officers.map((o) => o.accountId), threshold: 2 } }));
    stub.nextTx();
  });

  it('the digest the contract asks officers to sign is the pure approvalDigest of the action with its nonce', async function () {
    const digest = await digestFor({ action: 'register', ...registration() });
    expect(digest).to.equal(approvalDigest({ action: 'register', ...registration(), nonce: 0 }));
  });

  it('a registration with M-1 approvals is not effective; with M it is', async function () {
    const digest = await digestFor({ action: 'register', ...registration() });
    const before = snapshot();
    const error = await rejection(register([approve(officers[0] as Key, ASSET, digest, NETWORK)]));
    expect(error.code).to.equal('APPROVALS_INSUFFICIENT');
    expect(error.details).to.include({ threshold: 2, valid: 1 });
    expect(snapshot()).to.equal(before);
    const reg = JSON.parse(await register([approve(officers[0] as Key, ASSET, digest, NETWORK), approve(officers[2] as Key, ASSET, digest, NETWORK)])) as Registration;
    expect(reg).to.include({ status: 'registered', frozen: false, nonce: 1 });
    expect(reg.approvedBy).to.have.length(2);
    expect(changeTypes(stub.events).at(-1)).to.deep.equal(['AddressRegistered', 'RegistryChanged']);
  });

  it('counts a duplicated officer signature once, and rejects signatures by non-officers, over another digest or another network', async function () {
    const digest = await digestFor({ action: 'register', ...registration() });
    const a = approve(officers[0] as Key, ASSET, digest, NETWORK);
    const dup = await rejection(register([a, a]));
    expect(dup.code).to.equal('APPROVALS_INSUFFICIENT');
    expect((dup.details as { rejected: { reason: string }[] }).rejected.map((r) => r.reason)).to.deep.equal(['DUPLICATE_OFFICER']);
    const outsider = officerKeys(1)[0] as Key;
    const wrong = await rejection(register([
      a,
      approve(outsider, ASSET, digest, NETWORK),
      approve(officers[1] as Key, ASSET, 'ff'.repeat(32), NETWORK),
      approve(officers[2] as Key, ASSET, digest, 'other/kyc'),
    ]));
    expect((wrong.details as { rejected: { reason: string }[] }).rejected.map((r) => r.reason)).to.deep.equal(['NOT_AN_OFFICER', 'INVALID_SIGNATURE', 'INVALID_SIGNATURE']);
  });

  it('after an M-of-N officer change, a removed officer no longer counts; approvals cannot be replayed after deregistration', async function () {
    const next = officerKeys(2);
    const change = { asset: ASSET, officers: { accounts: [officers[0] as Key, ...next].map((o) => o.accountId), threshold: 2 } };
    const changeDigest = await digestFor({ action: 'changeOfficers', ...change });
    expect((await rejection(stub.tx(() => assets.changeOfficers(stub.ctx, JSON.stringify({ ...change, approvals: [approve(officers[1] as Key, ASSET, changeDigest, NETWORK)] }))))).code).to.equal('APPROVALS_INSUFFICIENT');
    const changed = JSON.parse(await assets.changeOfficers(stub.ctx, JSON.stringify({ ...change, approvals: [officers[1], officers[2]].map((o) => approve(o as Key, ASSET, changeDigest, NETWORK)) }))) as Asset;
    expect(changed.officers.version).to.equal(2);

    const digest = await digestFor({ action: 'register', ...registration() });
    const revoked = await rejection(register([approve(officers[0] as Key, ASSET, digest, NETWORK), approve(officers[1] as Key, ASSET, digest, NETWORK)]));
    expect((revoked.details as { rejected: { reason: string }[] }).rejected.map((r) => r.reason)).to.deep.equal(['NOT_AN_OFFICER']);
    const approvals = [approve(officers[0] as Key, ASSET, digest, NETWORK), approve(next[0] as Key, ASSET, digest, NETWORK)];
    await register(approvals);
    await registrations.deregister(stub.ctx, JSON.stringify({ asset: ASSET, address: investorKey.accountId }));
    const replayed = await rejection(register(approvals));
    expect(replayed.code).to.equal('APPROVALS_INSUFFICIENT');
    // Signed over nonce 0; the registration is at nonce 2 now: stale, not "made by another key".
    const rejected = (replayed.details as { rejected: { reason: string; message: string }[] }).rejected;
    expect(rejected.map((r) => r.reason)).to.deep.equal(['STALE_APPROVAL', 'STALE_APPROVAL']);
    expect(rejected[0]?.message).to.contain('nonce 0').and.contain(await digestFor({ action: 'register', ...registration() }));
    expect(JSON.parse(replayed.message).message).to.contain('stale');
  });

  it('an officer-set change approved over an earlier set version is reported stale', async function () {
    const change = (accounts: Key[]) => ({ asset: ASSET, officers: { accounts: accounts.map((o) => o.accountId), threshold: 2 } });
    const first = change([officers[0] as Key, officers[1] as Key, officers[2] as Key, ...officerKeys(1)]);
    const firstDigest = await digestFor({ action: 'changeOfficers', ...first });
    // Officers sign a change over version 1 …
    const early = [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, firstDigest, NETWORK));
    await assets.changeOfficers(stub.ctx, JSON.stringify({ ...first, approvals: early }));
    stub.nextTx();
    // … and the same signatures are sent again for the same accounts at version 2.
    const error = await rejection(stub.tx(() => assets.changeOfficers(stub.ctx, JSON.stringify({ ...first, approvals: early }))));
    expect(error.code).to.equal('APPROVALS_INSUFFICIENT');
    const rejected = (error.details as { rejected: { reason: string; message: string }[] }).rejected;
    expect(rejected.map((r) => r.reason)).to.deep.equal(['STALE_APPROVAL', 'STALE_APPROVAL']);
    expect(rejected[0]?.message).to.contain('officer set version 1');
  });

  it('accepts approvals made offline with the wallet (kyc-wallet sign-digest) by officers of any key kind', async function () {
    const wallet = await openWallet({ path: path.join(mkdtempSync(path.join(tmpdir(), 'kyc-officer-')), 'wallet.json'), insecurePlaintext: true, create: true });
    const keys = await Promise.all(['bitcoin-p2wpkh', 'p256'].map((kind, i) => wallet.createKey({ kind, label: `officer${i}` })));
    const change = { asset: ASSET, officers: { accounts: keys.map((k) => k.accountId), threshold: 2 } };
    const changeDigest = await digestFor({ action: 'changeOfficers', ...change });
    await assets.changeOfficers(stub.ctx, JSON.stringify({ ...change, approvals: [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, changeDigest, NETWORK)) }));
    const digest = await digestFor({ action: 'register', ...registration() });
    const approvals = ['officer0', 'officer1'].map((key) => {
      const signed = wallet.signOfficerApproval({ key, asset: ASSET, digest, network: NETWORK });
      return { officer: signed.statement.address, signature: signed.signature };
    });
    expect((JSON.parse(await register(approvals)) as Registration).approvedBy).to.deep.equal(keys.map((k) => k.accountId).sort());
  });

  it('recovers an investor to a new address with approvals; the old address cannot be registered again', async function () {
    let digest = await digestFor({ action: 'register', ...registration() });
    await register([officers[0], officers[1]].map((o) => approve(o as Key, ASSET, digest, NETWORK)));
    stub.setCaller('Certifier1MSP');
    const next = attestationRequest(NETWORK);
    const newAttestation = JSON.parse(await attestations.register(stub.ctx, JSON.stringify(next.input))) as Attestation;
    stub.setCaller('Issuer1MSP');
    const recovery = { asset: ASSET, from: investorKey.accountId, to: next.key.accountId, attestationId: newAttestation.id };
    digest = await digestFor({ action: 'recover', ...recovery });
    const moved = JSON.parse(await registrations.recover(stub.ctx, JSON.stringify({ ...recovery, approvals: [officers[1], officers[2]].map((o) => approve(o as Key, ASSET, digest, NETWORK)) }))) as Registration;
    expect(moved).to.include({ address: next.key.accountId, investor: 'inv-1', recoveredFrom: investorKey.accountId, status: 'registered' });
    digest = await digestFor({ action: 'register', ...registration() });
    const again = await rejection(register([officers[0], officers[1]].map((o) => approve(o as Key, ASSET, digest, NETWORK))));
    expect(again.code).to.equal('CONFLICT');
  });

  it('freezes an address at once, and unfreezes it only with approvals over the frozen state', async function () {
    const digest = await digestFor({ action: 'register', ...registration() });
    await register([officers[0], officers[1]].map((o) => approve(o as Key, ASSET, digest, NETWORK)));
    const ref = { asset: ASSET, address: investorKey.accountId };
    expect((JSON.parse(await registrations.freeze(stub.ctx, JSON.stringify(ref))) as Registration).frozen).to.equal(true);
    expect((await rejection(registrations.freeze(stub.ctx, JSON.stringify(ref)))).code).to.equal('CONFLICT');
    const unfreezeDigest = await digestFor({ action: 'unfreezeAddress', ...ref });
    const unfrozen = JSON.parse(await registrations.unfreeze(stub.ctx, JSON.stringify({ ...ref, approvals: [officers[1], officers[2]].map((o) => approve(o as Key, ASSET, unfreezeDigest, NETWORK)) }))) as Registration;
    expect(unfrozen.frozen).to.equal(false);
  });

  it('refuses registrations by another org, for another subject\'s attestation, or without an investor record', async function () {
    const digest = await digestFor({ action: 'register', ...registration() });
    const approvals = [officers[0], officers[1]].map((o) => approve(o as Key, ASSET, digest, NETWORK));
    stub.setCaller('Bank1MSP');
    expect((await rejection(register(approvals))).code).to.equal('FORBIDDEN');
    stub.setCaller('Issuer1MSP');
    const other = officerKeys(1)[0] as Key;
    expect((await rejection(stub.tx(() => registrations.register(stub.ctx, JSON.stringify({ ...registration(), address: other.accountId, approvals }))))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(stub.tx(() => registrations.register(stub.ctx, JSON.stringify({ ...registration(), investor: 'inv-unknown', approvals }))))).code).to.equal('NOT_FOUND');
  });

  it('keeps investor attributes private: no channel state holds them, another bank cannot read them, erasure purges them', async function () {
    const publicState = [...stub.state.values()].map((b) => b.toString()).join('\n');
    expect(publicState).to.not.contain('retail');
    stub.setCaller('Bank2MSP');
    const ref = JSON.stringify({ issuer: 'Issuer1MSP', certifier: 'Certifier1MSP', id: 'inv-1' });
    expect((await rejection(investors.get(stub.ctx, ref))).code).to.equal('FORBIDDEN');
    stub.setCaller('Issuer1MSP');
    expect(JSON.parse(await investors.get(stub.ctx, ref))).to.include({ jurisdiction: 'CH', investorType: 'retail' });
    stub.nextTx();
    await stub.tx(() => investors.erase(stub.ctx, ref));
    expect(stub.purged).to.have.length(1);
    expect((await rejection(investors.get(stub.ctx, ref))).code, 'an erased record is told apart from one never stored').to.equal('ERASED');
    expect((await rejection(investors.get(stub.ctx, JSON.stringify({ issuer: 'Issuer1MSP', certifier: 'Certifier1MSP', id: 'inv-none' })))).code).to.equal('NOT_FOUND');
  });

  it('rejects a malformed investor record with every problem and writes nothing', async function () {
    stub.setTransient({ investor: JSON.stringify(investorRecord('inv-2', { jurisdiction: 'Switzerland', investorType: 'rich', pep: 'no' })) });
    const before = JSON.stringify([...stub.privateState.entries()].map(([k, v]) => [k, [...v.entries()]]));
    const error = await rejection(stub.tx(() => investors.put(stub.ctx)));
    expect(error.code).to.equal('INVALID_ARGUMENT');
    expect((error.details as { problems: string[] }).problems).to.have.length(3);
    expect(JSON.stringify([...stub.privateState.entries()].map(([k, v]) => [k, [...v.entries()]]))).to.equal(before);
  });
});
