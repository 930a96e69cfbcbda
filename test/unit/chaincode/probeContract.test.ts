import { expect } from 'chai';
import { LEDGER_EVENT_NAME } from '@kyc-ledger/api';
import { ChaincodeError, Events, ProbeContract, RegistryContract, parseErrorBody } from '@kyc-ledger/chaincode';
import { bootstrapInput } from '../../support/attestationFixtures';
import { rejection } from '../../support/rejection';
import { createStubContext, type StubContext } from '../../support/stubContext';
import { chaincodeVersion } from '@kyc-ledger/chaincode/dist/chaincodeVersion';

/** A ledger whose registry lists the default orgs, called as `mspId`; the probe keys are all that changes. */
async function memberLedger(mspId: string, admin: boolean): Promise<{ stub: StubContext; probeKeys: () => string[] }> {
  const stub = createStubContext();
  stub.setCaller('Bank1MSP', true);
  await new RegistryContract().bootstrap(stub.ctx, bootstrapInput('kyc-ledger'));
  stub.nextTx();
  stub.events.length = 0;
  stub.setCaller(mspId, admin);
  return { stub, probeKeys: () => [...stub.state.keys()].filter((k) => k.startsWith('\u0000probe\u0000')) };
}


describe('ProbeContract (stubbed context)', function () {
  const contract = new ProbeContract();

  it('ping answers the caller\'s MSP and the transaction time, writing nothing', async function () {
    const stub = createStubContext('Bank1MSP');
    stub.setTxTime('2026-03-04T05:06:07.089Z');
    const pong = JSON.parse(await contract.ping(stub.ctx)) as Record<string, unknown>;
    expect(pong).to.deep.equal({ ok: true, mspId: 'Bank1MSP', txId: stub.ctx.stub.getTxID(), txTime: '2026-03-04T05:06:07.089Z' });
    expect(stub.state.size).to.equal(0);
  });

  it('put, by an org admin, stores canonical JSON under the org\'s own composite key and emits an event; get reads it back', async function () {
    const { stub, probeKeys } = await memberLedger('Certifier1MSP', true);
    await contract.put(stub.ctx, 'k-1', 'hello');
    const stored = stub.state.get(probeKeys()[0] as string)?.toString();
    const txId = stub.ctx.stub.getTxID();
    expect(stored).to.equal(`{"key":"k-1","txId":"${txId}","txTime":"2026-01-01T00:00:00.000Z","value":"hello","writerMspId":"Certifier1MSP"}`);
    expect(probeKeys()).to.deep.equal(['\u0000probe\u0000Certifier1MSP\u0000k-1\u0000']);
    expect(stub.events.map((e) => [e.name, e.payload.toString()])).to.deep.equal([[LEDGER_EVENT_NAME, `{"changes":[{"key":"k-1","txId":"${txId}","type":"${Events.PROBE_VALUE_SET}"}]}`]]);
    stub.setCaller('Bank2MSP');
    expect(await contract.get(stub.ctx, 'Certifier1MSP', 'k-1')).to.equal(stored);
    expect((await rejection(contract.get(stub.ctx, 'Bank2MSP', 'k-1'))).code).to.equal('NOT_FOUND');
  });

  it('refuses a member\'s client identity (a bank\'s gateway user) with FORBIDDEN and writes nothing', async function () {
    const { stub, probeKeys } = await memberLedger('Bank1MSP', false);
    const error = await rejection(contract.put(stub.ctx, 'k-1', 'forged'));
    expect(error.code).to.equal('FORBIDDEN');
    expect(probeKeys()).to.deep.equal([]);
    expect(stub.events).to.have.length(0);
  });

  it('refuses the admin of an org that is not an active member', async function () {
    const { stub, probeKeys } = await memberLedger('StrangerMSP', true);
    expect((await rejection(contract.put(stub.ctx, 'k-1', 'forged'))).code).to.equal('FORBIDDEN');
    expect(probeKeys()).to.deep.equal([]);
  });

  it('an admin of another org writes under its own name, never over another org\'s value', async function () {
    const { stub } = await memberLedger('Certifier1MSP', true);
    await contract.put(stub.ctx, 'shared', 'certifier');
    stub.nextTx();
    stub.setCaller('Bank2MSP', true);
    await contract.put(stub.ctx, 'shared', 'bank2');
    expect(JSON.parse(await contract.get(stub.ctx, 'Certifier1MSP', 'shared')).value).to.equal('certifier');
    expect(JSON.parse(await contract.get(stub.ctx, 'Bank2MSP', 'shared')).value).to.equal('bank2');
  });

  it('rejects bad input with INVALID_ARGUMENT listing every problem, and writes nothing', async function () {
    const { stub, probeKeys } = await memberLedger('Bank2MSP', true);
    const error = await rejection(contract.put(stub.ctx, 'bad key!', 'x'.repeat(5000)));
    expect(error.code).to.equal('INVALID_ARGUMENT');
    expect(parseErrorBody(error.message)).to.deep.equal({
      code: 'INVALID_ARGUMENT',
      message: 'invalid probe value',
      details: { problems: ['key must match ^[A-Za-z0-9._-]{1,64}$', 'value must be a string of at most 4096 characters'] },
    });
    expect(probeKeys()).to.deep.equal([]);
    expect(stub.events).to.have.length(0);
  });

  it('get of an absent key is NOT_FOUND', async function () {
    const error = await rejection(contract.get(createStubContext().ctx, 'Org1MSP', 'nothing-here'));
    expect(error.code).to.equal('NOT_FOUND');
  });
});

describe('chaincode error bodies', function () {
  it('parse from a peer error message that wraps them', function () {
    const body = new ChaincodeError('FORBIDDEN', 'only certifiers', { role: 'bank' }).message;
    expect(parseErrorBody(`endorsement failure: chaincode response 500, ${body}`)).to.deep.equal({ code: 'FORBIDDEN', message: 'only certifiers', details: { role: 'bank' } });
    expect(parseErrorBody('some other failure')).to.equal(undefined);
  });
});

describe('probe:version (which build answers)', function () {
  it('answers the package ID the external builder passed, its label and package.json\'s version', function () {
    const answer = chaincodeVersion({ KYC_CHAINCODE_PACKAGE_ID: 'kyc_0.1.0-v2:ab12' });
    expect(answer).to.deep.equal({ packageId: 'kyc_0.1.0-v2:ab12', label: 'kyc_0.1.0-v2', version: '0.1.0' });
    expect(chaincodeVersion({})).to.deep.equal({ packageId: null, label: null, version: '0.1.0' });
  });

  it('is a read-only transaction that writes nothing', async function () {
    const stub = createStubContext('Bank1MSP');
    const answer = JSON.parse(await new ProbeContract().version(stub.ctx)) as Record<string, unknown>;
    expect(answer).to.have.keys(['packageId', 'label', 'version']);
    expect(stub.state.size).to.equal(0);
    expect(stub.events).to.deep.equal([]);
  });
});
