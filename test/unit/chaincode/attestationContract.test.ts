import { expect } from 'chai';
import { generateKey, parseAccountId, Purposes, signStatement, STATEMENT_DOMAIN, STATEMENT_VERSION, type Statement } from '@kyc-ledger/crypto';
import { AttestationContract, RegistryContract, type Attestation, type AttestationStatus, type Proposal } from '@kyc-ledger/chaincode';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';
import { changesOf, changeTypes } from '../../support/ledgerChanges';

const NETWORK = 'kyc-ledger/kyc';


describe('AttestationContract (stubbed context)', function () {
  const registry = new RegistryContract();
  const contract = new AttestationContract();
  let stub: StubContext;
  let stateBefore: Map<string, Buffer>;

  const register = (input: Record<string, unknown>) => contract.register(stub.ctx, JSON.stringify(input));
  const unchangedState = () => expect([...stub.state.entries()]).to.deep.equal([...stateBefore.entries()]);

  beforeEach(async function () {
    stub = createStubContext();
    stub.setTxTime('2026-06-01T12:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    await registry.bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.setCaller('Certifier1MSP');
    stub.events.length = 0;
    stateBefore = new Map(stub.state);
  });

  for (const kind of ['secp256k1', 'ed25519', 'p256', 'bitcoin-p2wpkh'] as const) {
    it(`registers an attestation signed by a ${kind} subject key, storing commitments only`, async function () {
      const { input, key } = attestationRequest(NETWORK, { kind });
      const attestation = JSON.parse(await register(input)) as Attestation;
      expect(attestation).to.include({ subject: key.accountId, certifier: 'Certifier1MSP', status: 'active', issuedAt: '2026-06-01T12:00:00.000Z' });
      const stored = [...stub.state.values()].map((b) => b.toString()).join('\n');
      for (const value of ['Anna', 'Müller', '1990-04-12', 'X1234567']) expect(stored).to.not.contain(value);
      expect(changeTypes(stub.events)).to.deep.equal([['AttestationRegistered']]);
      expect(changesOf(stub.events[0] as never)[0]).to.deep.equal({ type: 'AttestationRegistered', id: attestation.id, subject: key.accountId, certifier: 'Certifier1MSP' });
      const list = JSON.parse(await contract.listBySubject(stub.ctx, key.accountId)) as Attestation[];
      expect(list.map((a) => a.id)).to.deep.equal([attestation.id]);
    });
  }

  it('is idempotent: the same attestation again changes nothing; different content under the same id conflicts', async function () {
    const { input } = attestationRequest(NETWORK);
    const first = await register(input);
    const snapshot = new Map(stub.state);
    stub.nextTx();
    expect(await register(input)).to.equal(first);
    expect([...stub.state.entries()]).to.deep.equal([...snapshot.entries()]);
    expect(stub.events).to.have.length(1);
    expect((await rejection(register({ ...input, expiresAt: '2029-01-01T00:00:00Z' }))).code).to.equal('CONFLICT');
  });

  it('rejects, with a code and no state change: wrong role, bad signature, other network, other certifier, outside scope, past expiry', async function () {
    const { input } = attestationRequest(NETWORK);
    stub.setCaller('Bank1MSP');
    expect((await rejection(register(input))).code).to.equal('FORBIDDEN');
    stub.setCaller('Certifier1MSP');
    const tampered = { ...input, commitmentRoot: 'cd'.repeat(32) };
    expect((await rejection(register(tampered))).code).to.equal('INVALID_SIGNATURE');
    expect((await rejection(register(attestationRequest('other-consortium/kyc').input))).code).to.equal('INVALID_SIGNATURE');
    expect((await rejection(register(attestationRequest(NETWORK, { certifier: 'Certifier2MSP' }).input))).code).to.equal('INVALID_SIGNATURE');
    const outside = await rejection(register(attestationRequest(NETWORK, { claimTopics: ['identity', 'sanctions'], overrides: { jurisdiction: 'US', assuranceLevel: 'high' } }).input));
    expect(outside.code).to.equal('OUT_OF_SCOPE');
    expect((outside.details as { problems: string[] }).problems).to.have.length(3);
    expect((await rejection(register({ ...input, expiresAt: '2026-05-01T00:00:00Z' }))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(register({ ...input, subject: 'eip155:1:0xnothex' }))).code).to.equal('INVALID_ARGUMENT');
    expect((await rejection(contract.register(stub.ctx, '{"subject": 42}'))).code).to.equal('INVALID_ARGUMENT');
    unchangedState();
  });

  it('bulk: registers many at once, all or nothing, and counts resubmissions as unchanged', async function () {
    const batch = Array.from({ length: 25 }, () => attestationRequest(NETWORK).input);
    const bad = [...batch.slice(0, 5), { ...batch[5], jurisdiction: 'ch' }, ...batch.slice(6)];
    const error = await rejection(contract.registerBulk(stub.ctx, JSON.stringify(bad)));
    expect(error.code).to.equal('INVALID_ARGUMENT');
    expect((error.details as { problems: string[] }).problems[0]).to.match(/^\[5\]\.jurisdiction/);
    unchangedState();
    const result = JSON.parse(await contract.registerBulk(stub.ctx, JSON.stringify(batch))) as { registered: number; unchanged: number; ids: string[] };
    expect(result).to.include({ registered: 25, unchanged: 0 });
    stub.nextTx();
    const again = JSON.parse(await contract.registerBulk(stub.ctx, JSON.stringify(batch.slice(0, 10)))) as { registered: number; unchanged: number };
    expect(again).to.include({ registered: 0, unchanged: 10 });
  });

  it('revokes, renews and reports status at a given time with every failing reason', async function () {
    const { input } = attestationRequest(NETWORK);
    const { id } = JSON.parse(await register(input)) as Attestation;
    const status = (at: string) => contract.status(stub.ctx, id, at).then((s) => JSON.parse(s) as AttestationStatus);
    expect(await status('2026-07-01T00:00:00Z')).to.include({ valid: true, status: 'VALID' });
    expect((await status('2028-02-01T00:00:00Z')).status).to.equal('EXPIRED');
    expect((await status('2026-01-01T00:00:00Z')).status).to.equal('NOT_YET_VALID');
    stub.nextTx();
    await contract.renew(stub.ctx, id, '2029-06-01T00:00:00Z');
    expect((await status('2028-02-01T00:00:00Z')).status).to.equal('VALID');
    stub.setCaller('Bank1MSP');
    expect((await rejection(contract.revoke(stub.ctx, id, 'FRAUD'))).code).to.equal('FORBIDDEN');
    stub.setCaller('Certifier1MSP');
    expect((await rejection(contract.revoke(stub.ctx, id, 'BORED'))).code).to.equal('INVALID_ARGUMENT');
    await contract.revoke(stub.ctx, id, 'SUBJECT_REQUEST');
    const revoked = await status('2027-01-01T00:00:00Z');
    expect(revoked).to.include({ valid: false, status: 'REVOKED' });
    expect((await rejection(contract.renew(stub.ctx, id, '2030-01-01T00:00:00Z'))).code).to.equal('ATTESTATION_NOT_ACTIVE');
  });

  it('derives de-accreditation at read time: the certifier\'s attestations stop being valid without a rewrite', async function () {
    const { id } = JSON.parse(await register(attestationRequest(NETWORK).input)) as Attestation;
    const stored = stub.state.get(stub.ctx.stub.createCompositeKey('attestation', [id]))?.toString();
    stub.setTxTime('2026-08-01T00:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    const proposal = JSON.parse(await registry.propose(stub.ctx, JSON.stringify({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } }))) as Proposal;
    for (const admin of ['Bank2MSP', 'Issuer1MSP']) {
      stub.nextTx();
      stub.setCaller(admin, true);
      await registry.approve(stub.ctx, proposal.id);
    }
    expect(stub.state.get(stub.ctx.stub.createCompositeKey('attestation', [id]))?.toString()).to.equal(stored);
    const before = JSON.parse(await contract.status(stub.ctx, id, '2026-07-01T00:00:00Z')) as AttestationStatus;
    const after = JSON.parse(await contract.status(stub.ctx, id, '2026-09-01T00:00:00Z')) as AttestationStatus;
    expect(before.status).to.equal('VALID');
    expect(after).to.include({ valid: false, status: 'CERTIFIER_NOT_ACCREDITED' });
    stub.setCaller('Certifier1MSP');
    expect((await rejection(register(attestationRequest(NETWORK).input))).code).to.equal('NOT_ACCREDITED');
  });

  it('rotates to a new key only with both keys\' signatures; the old attestation is superseded', async function () {
    const { input, key } = attestationRequest(NETWORK);
    const old = JSON.parse(await register(input)) as Attestation;
    const newKey = generateKey('ed25519');
    const rotation = (signer: typeof key, newAddress = newKey.accountId) => signStatement({
      domain: STATEMENT_DOMAIN, version: STATEMENT_VERSION, purpose: Purposes.KEY_ROTATION, network: NETWORK,
      chain: parseAccountId(signer.accountId).chainId, address: signer.accountId, oldAddress: key.accountId, newAddress, attestationId: old.id,
    } as Statement, signer);
    const stranger = generateKey('ed25519');
    stub.nextTx();
    // The second signature comes from a key other than the new subject's.
    const forged = await rejection(contract.rotate(stub.ctx, old.id, JSON.stringify({ newSubject: newKey.accountId, oldKeySignature: rotation(key), newKeySignature: rotation(stranger, stranger.accountId) })));
    expect(forged.code).to.equal('INVALID_SIGNATURE');
    const rotated = JSON.parse(await contract.rotate(stub.ctx, old.id, JSON.stringify({ newSubject: newKey.accountId, oldKeySignature: rotation(key), newKeySignature: rotation(newKey) }))) as Attestation;
    expect(rotated).to.include({ subject: newKey.accountId, commitmentRoot: old.commitmentRoot, status: 'active' });
    expect(JSON.parse(await contract.get(stub.ctx, old.id))).to.include({ status: 'superseded', supersededBy: rotated.id });
    expect((JSON.parse(await contract.status(stub.ctx, old.id, '')) as AttestationStatus).status).to.equal('SUPERSEDED');
  });

  it('erasure drops the duplicate marker so nothing links the root to a person', async function () {
    const marker = 'ef'.repeat(32);
    const { input } = attestationRequest(NETWORK, { overrides: { duplicateMarker: marker } });
    const { id } = JSON.parse(await register(input)) as Attestation;
    expect(JSON.parse(await contract.findDuplicates(stub.ctx, marker))).to.deep.equal([id]);
    const erased = JSON.parse(await contract.revoke(stub.ctx, id, 'ERASED')) as Attestation;
    expect(erased.duplicateMarker).to.equal(undefined);
    expect(JSON.parse(await contract.findDuplicates(stub.ctx, marker))).to.deep.equal([]);
    expect([...stub.state.values()].some((b) => b.toString().includes(marker))).to.equal(false);
  });
});
