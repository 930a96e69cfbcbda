import { expect } from 'chai';
import request from 'supertest';
import { BANK_KEY, newTestApp } from './testApp';

const ID = 'a1'.repeat(32);
const sig = { scheme: 'eip191', signature: `0x${'ef'.repeat(65)}` };
const address = (n: number) => `eip155:1:0x${n.toString(16).padStart(40, '0')}`;

describe('issuer routes: registry writes in batches, registry changes', function () {
  it('answers concurrent registrations of one asset from one registration:batch transaction, each with its own registration', async function () {
    const { app, ledger } = newTestApp('issuer');
    const body = (n: number) => ({ address: address(n), investor: 'inv-1', certifier: 'Certifier1MSP', attestationId: ID, approvals: [{ officer: address(99), signature: sig }] });
    const replies = await Promise.all([1, 2, 3, 4, 5].map((n) => request(app).post('/v1/assets/BOND-1/registrations').set('x-api-key', BANK_KEY).send(body(n))));
    expect(replies.map((r) => r.status)).to.deep.equal([201, 201, 201, 201, 201]);
    expect(replies.map((r) => (r.body as { result: { address: string } }).result.address)).to.deep.equal([1, 2, 3, 4, 5].map(address));
    expect(ledger.submits.map((s) => s.fn)).to.deep.equal(['registration:batch']);
    const sent = JSON.parse(ledger.submits[0]?.args[0] as string) as { asset: string; actions: { action: string; address: string }[] };
    expect(sent.asset).to.equal('BOND-1');
    expect(sent.actions.map((a) => `${a.action} ${a.address}`)).to.deep.equal([1, 2, 3, 4, 5].map((n) => `register ${address(n)}`));
  });

  it('sends deregister, freeze, unfreeze and recover as batch actions', async function () {
    const { app, ledger } = newTestApp('issuer');
    const path = `/v1/assets/BOND-1/registrations/${encodeURIComponent(address(1))}`;
    const approvals = [{ officer: address(99), signature: sig }];
    await request(app).post(`${path}/freeze`).set('x-api-key', BANK_KEY).expect(200);
    await request(app).post(`${path}/unfreeze`).set('x-api-key', BANK_KEY).send({ approvals }).expect(200);
    await request(app).post(`${path}/deregister`).set('x-api-key', BANK_KEY).expect(200);
    await request(app).post(`${path}/recover`).set('x-api-key', BANK_KEY).send({ to: address(2), attestationId: ID, approvals }).expect(200);
    const actions = ledger.submits.filter((s) => s.fn === 'registration:batch').map((s) => JSON.parse(s.args[0] as string).actions[0] as Record<string, unknown>);
    expect(actions).to.deep.equal([
      { action: 'freeze', address: address(1) },
      { action: 'unfreeze', address: address(1), approvals },
      { action: 'deregister', address: address(1) },
      { action: 'recover', from: address(1), to: address(2), attestationId: ID, approvals },
    ]);
  });

  it('reads a page of registry changes (fromSeq 1 and limit 100 by default) and refuses a bad page before the ledger', async function () {
    const { app, ledger } = newTestApp('issuer');
    ledger.registrySeq = 7;
    const page = await request(app).get('/v1/assets/BOND-1/registry-changes').query({ fromSeq: '5', limit: '2' }).set('x-api-key', BANK_KEY).expect(200);
    expect(page.body).to.include({ asset: 'BOND-1', head: 7 });
    expect((page.body as { changes: { seq: number }[] }).changes.map((c) => c.seq)).to.deep.equal([5, 6]);
    await request(app).get('/v1/assets/BOND-1/registry-changes').set('x-api-key', BANK_KEY).expect(200);
    expect(ledger.evaluates.map((e) => [e.fn, JSON.parse(e.args[0] as string)])).to.deep.equal([
      ['registration:changes', { asset: 'BOND-1', fromSeq: 5, limit: 2 }],
      ['registration:changes', { asset: 'BOND-1', fromSeq: 1, limit: 100 }],
    ]);
    for (const query of [{ fromSeq: '0' }, { limit: '0' }, { limit: '1001' }, { fromSeq: 'x' }, { fromSeq: '1.5' }, { other: '1' }]) {
      const bad = await request(app).get('/v1/assets/BOND-1/registry-changes').query(query).set('x-api-key', BANK_KEY);
      expect([bad.status, bad.body.code], JSON.stringify(query)).to.deep.equal([400, 'VALIDATION_FAILED']);
    }
    expect(ledger.evaluates).to.have.length(2);
  });
});
