import { expect } from 'chai';
import { AttestationContract, ConsentContract, RegistryContract, type Attestation, type Receipt } from '@kyc-ledger/chaincode';
import { attestationRequest, bootstrapInput } from '../../support/attestationFixtures';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';


describe('ConsentContract (stubbed context)', function () {
  const consent = new ConsentContract();
  let stub: StubContext;
  let attestationId: string;
  const receipt = (n: number, extra: Record<string, unknown> = {}) => ({
    sessionIdHash: n.toString(16).padStart(64, '0'),
    subject: 'eip155:1:0x0000000000000000000000000000000000000001',
    attestationId,
    result: 'verified',
    reasons: [],
    consentHash: 'cc'.repeat(32),
    ...extra,
  });

  beforeEach(async function () {
    stub = createStubContext();
    stub.setTxTime('2026-06-01T12:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    await new RegistryContract().bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.setCaller('Certifier1MSP');
    attestationId = (JSON.parse(await new AttestationContract().register(stub.ctx, JSON.stringify(attestationRequest('kyc-ledger/kyc').input))) as Attestation).id;
    stub.setCaller('Bank1MSP');
  });

  it('records a receipt for the calling bank, once per session', async function () {
    const recorded = JSON.parse(await consent.record(stub.ctx, JSON.stringify(receipt(1)))) as Receipt;
    expect(recorded).to.include({ bank: 'Bank1MSP', result: 'verified', recordedAt: '2026-06-01T12:00:00.000Z' });
    stub.setCaller('Bank2MSP');
    expect((await rejection(consent.record(stub.ctx, JSON.stringify(receipt(1))))).code).to.equal('SESSION_ALREADY_USED');
    expect(JSON.parse(await consent.get(stub.ctx, receipt(1).sessionIdHash))).to.include({ bank: 'Bank1MSP' });
  });

  it('only banks record receipts; a verified receipt needs a real attestation; bad input is coded', async function () {
    stub.setCaller('Certifier1MSP');
    expect((await rejection(consent.record(stub.ctx, JSON.stringify(receipt(2))))).code).to.equal('FORBIDDEN');
    stub.setCaller('Bank1MSP');
    expect((await rejection(consent.record(stub.ctx, JSON.stringify(receipt(2, { attestationId: 'ab'.repeat(32) }))))).code).to.equal('NOT_FOUND');
    expect((await rejection(consent.record(stub.ctx, JSON.stringify(receipt(2, { result: 'maybe' }))))).code).to.equal('INVALID_ARGUMENT');
  });

  it('batches are all or nothing', async function () {
    await consent.record(stub.ctx, JSON.stringify(receipt(5)));
    const before = stub.state.size;
    expect((await rejection(stub.tx(() => consent.recordBatch(stub.ctx, JSON.stringify([receipt(3), receipt(4), receipt(5)]))))).code).to.equal('SESSION_ALREADY_USED');
    expect((await rejection(consent.recordBatch(stub.ctx, JSON.stringify([receipt(6), receipt(6)])))).code).to.equal('SESSION_ALREADY_USED');
    expect(stub.state.size).to.equal(before);
    expect(JSON.parse(await consent.recordBatch(stub.ctx, JSON.stringify([receipt(3), receipt(4)])))).to.include({ recorded: 2 });
  });
});
