import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { AttestationContract, ConsentContract, RegistryContract, implicitOrgCollection, type Attestation, type Receipt, type ReceiptBatchResult } from '@kyc-ledger/chaincode';
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
    salt: n.toString(16).padStart(64, '5'),
    ...extra,
  });
  /** One transaction as a peer runs it, with the receipts in the transient map. */
  const record = (item: unknown) => {
    stub.nextTx();
    stub.setTransient({ receipt: JSON.stringify(item) });
    return stub.tx(() => consent.record(stub.ctx));
  };
  const recordBatch = async (items: unknown[]) => {
    stub.nextTx();
    stub.setTransient({ receipts: JSON.stringify(items) });
    return JSON.parse(await stub.tx(() => consent.recordBatch(stub.ctx))) as ReceiptBatchResult;
  };
  const get = async (n: number) => JSON.parse(await consent.get(stub.ctx, receipt(n).sessionIdHash)) as Receipt;

  beforeEach(async function () {
    stub = createStubContext();
    stub.setTxTime('2026-06-01T12:00:00.000Z');
    stub.setCaller('Bank1MSP', true);
    await new RegistryContract().bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
    stub.setCaller('Certifier1MSP');
    attestationId = (JSON.parse(await new AttestationContract().register(stub.ctx, JSON.stringify(attestationRequest('kyc-ledger/kyc').input))) as Attestation).id;
    stub.setCaller('Bank1MSP');
    stub.events.length = 0;
  });

  it('keeps a receipt in the recording bank\'s own implicit collection, with no public write and no personal data in the event', async function () {
    const publicBefore = new Map(stub.state);
    expect(JSON.parse(await record(receipt(1)))).to.deep.equal({ recorded: 1, results: [{ recorded: true }] });
    expect(stub.state).to.deep.equal(publicBefore);
    const own = stub.privateState.get(implicitOrgCollection('Bank1MSP'));
    expect(own?.size).to.equal(1);
    const [key, bytes] = [...(own ?? new Map<string, Buffer>())][0] ?? ['', Buffer.alloc(0)];
    expect(key).to.equal(stub.ctx.stub.createCompositeKey('receipt', ['Bank1MSP', receipt(1).sessionIdHash]));
    const stored = await get(1);
    expect(stored).to.include({ bank: 'Bank1MSP', result: 'verified', subject: receipt(1).subject, recordedAt: '2026-06-01T12:00:00.000Z' });
    // get answers the stored bytes themselves, so their sha256 is the value hash Fabric puts on chain.
    expect(createHash('sha256').update(await consent.get(stub.ctx, receipt(1).sessionIdHash)).digest()).to.deep.equal(createHash('sha256').update(bytes).digest());
    expect(stub.events.map((e) => [e.name, JSON.parse(e.payload.toString())])).to.deep.equal([['LedgerChanged', { changes: [{ type: 'ConsentRecorded', recorded: 1 }] }]]);
  });

  it('takes receipts from the transient map only', async function () {
    stub.setTransient({});
    const missing = await rejection(stub.tx(() => consent.record(stub.ctx)));
    expect(missing.code).to.equal('INVALID_ARGUMENT');
    stub.setTransient({ receipts: 'not json' });
    expect((await rejection(stub.tx(() => consent.recordBatch(stub.ctx)))).code).to.equal('INVALID_ARGUMENT');
    stub.setTransient({ receipts: '[]' });
    expect((await rejection(stub.tx(() => consent.recordBatch(stub.ctx)))).code).to.equal('INVALID_ARGUMENT');
    expect(stub.privateState.get(implicitOrgCollection('Bank1MSP'))?.size ?? 0).to.equal(0);
  });

  it('uses a session once per bank: another bank can neither use it up nor read the receipt', async function () {
    stub.setCaller('Bank2MSP');
    await record(receipt(1, { result: 'rejected', reasons: ['SUBJECT_MISMATCH'] }));
    expect((await rejection(consent.get(stub.ctx, receipt(2).sessionIdHash))).code).to.equal('NOT_FOUND');
    stub.setCaller('Bank1MSP');
    expect((await rejection(consent.get(stub.ctx, receipt(1).sessionIdHash))).code).to.equal('NOT_FOUND');
    await record(receipt(1));
    expect(await get(1)).to.include({ bank: 'Bank1MSP', result: 'verified' });
    const again = await rejection(record(receipt(1)));
    expect(again.code).to.equal('SESSION_ALREADY_USED');
    expect(again.details).to.deep.equal({ results: [{ recorded: false, code: 'SESSION_ALREADY_USED' }] });
    stub.setCaller('Bank2MSP');
    expect(await get(1)).to.include({ bank: 'Bank2MSP', result: 'rejected' });
    expect(stub.privateState.get(implicitOrgCollection('Bank2MSP'))?.size).to.equal(1);
    expect(stub.privateState.get(implicitOrgCollection('Bank1MSP'))?.size).to.equal(1);
  });

  it('refuses to be endorsed by another org\'s peer (the receipt is in its transient data), and writes nothing', async function () {
    stub.setPeerMsp('Bank2MSP');
    const error = await rejection(record(receipt(5)));
    expect(error.code).to.equal('FORBIDDEN');
    expect(error.details).to.deep.equal({ bank: 'Bank1MSP', peer: 'Bank2MSP' });
    expect(stub.privateState.get(implicitOrgCollection('Bank1MSP'))?.size ?? 0).to.equal(0);
    expect(stub.privateState.get(implicitOrgCollection('Bank2MSP'))?.size ?? 0).to.equal(0);
    stub.setPeerMsp(undefined);
    expect(JSON.parse(await record(receipt(5)))).to.deep.equal({ recorded: 1, results: [{ recorded: true }] });
  });

  it('only banks record receipts; bad input is coded', async function () {
    stub.setCaller('Certifier1MSP');
    expect((await rejection(record(receipt(2)))).code).to.equal('FORBIDDEN');
    stub.setCaller('Bank1MSP');
    const bad = await rejection(record(receipt(2, { result: 'maybe' })));
    expect(bad.code).to.equal('INVALID_ARGUMENT');
    expect(bad.details).to.deep.equal({ results: [{ recorded: false, code: 'INVALID_ARGUMENT', fields: ['result'] }] });
    expect((await rejection(consent.get(stub.ctx, 'nothex'))).code).to.equal('INVALID_ARGUMENT');
  });

  it('fails a bad receipt alone: its batch-mates are recorded, outcomes in input order, nothing personal in the answer', async function () {
    await record(receipt(5));
    const result = await recordBatch([receipt(3), receipt(5), { ...receipt(6), subject: 1 }, receipt(4), receipt(4), 'junk']);
    expect(result).to.deep.equal({
      recorded: 2,
      results: [
        { recorded: true },
        { recorded: false, code: 'SESSION_ALREADY_USED' },
        { recorded: false, code: 'INVALID_ARGUMENT', fields: ['subject'] },
        { recorded: true },
        { recorded: false, code: 'SESSION_ALREADY_USED' },
        { recorded: false, code: 'INVALID_ARGUMENT', fields: ['(root)'] },
      ],
    });
    const answer = JSON.stringify(result);
    for (const secret of [receipt(3).subject, attestationId, receipt(3).sessionIdHash, 'verified', 'Bank1MSP']) expect(answer).to.not.contain(secret);
    expect((await get(3)).txId).to.equal((await get(4)).txId);
    expect((await rejection(consent.get(stub.ctx, receipt(6).sessionIdHash))).code).to.equal('NOT_FOUND');
  });

  it('fails a batch none of whose receipts can be recorded, naming each outcome, and writes nothing', async function () {
    await record(receipt(7));
    stub.events.length = 0;
    const before = new Map(stub.privateState.get(implicitOrgCollection('Bank1MSP')));
    stub.setTransient({ receipts: JSON.stringify([receipt(7), { nope: true }]) });
    const error = await rejection(stub.tx(() => consent.recordBatch(stub.ctx)));
    expect(error.code).to.equal('SESSION_ALREADY_USED');
    expect(error.details).to.deep.equal({ results: [{ recorded: false, code: 'SESSION_ALREADY_USED' }, { recorded: false, code: 'INVALID_ARGUMENT', fields: ['sessionIdHash', 'subject', 'attestationId', 'result', 'reasons', 'consentHash', 'salt', '(root)'] }] });
    expect(stub.privateState.get(implicitOrgCollection('Bank1MSP'))).to.deep.equal(before);
    expect(stub.events).to.have.length(0);
  });
});
