import { expect } from 'chai';
import request from 'supertest';
import { GatewayError, GatewayErrorCodes } from '@kyc-ledger/gateway';
import { BANK_KEY, CERTIFIER_KEY, newTestApp } from './testApp';

const ISSUER = { mspId: 'Issuer1MSP', name: 'issuer1', roles: ['issuer'], status: 'active', since: '2026-01-01T00:00:00.000Z' };

describe('gateway certifier routes: erasing a shared investor record', function () {
  it('sends investor:erase naming this certifier, endorsed at the issuer\'s peer', async function () {
    const { app, ledger } = newTestApp();
    ledger.members.push(ISSUER);
    const res = await request(app).post('/v1/investors/Issuer1MSP/inv-7/erase').set('x-api-key', CERTIFIER_KEY).expect(200);
    expect(res.body.transactionId).to.equal('tx1');
    expect(ledger.submits).to.have.length(1);
    const call = ledger.submits[0];
    expect(call?.fn).to.equal('investor:erase');
    expect(JSON.parse(call?.args[0] as string)).to.deep.equal({ issuer: 'Issuer1MSP', certifier: 'Certifier1MSP', id: 'inv-7' });
    expect(call?.options?.endorsingOrganizations).to.deep.equal(['Issuer1MSP']);
  });

  it('answers an erasure already done as 410 ERASED, and bad input or another role without a ledger call', async function () {
    const { app, ledger } = newTestApp();
    ledger.members.push(ISSUER);
    ledger.failNext('investor:erase', new GatewayError(GatewayErrorCodes.ERASED, 'investor record inv-7 was erased', { details: { id: 'inv-7', erasedBy: 'Issuer1MSP' } }));
    const erased = await request(app).post('/v1/investors/Issuer1MSP/inv-7/erase').set('x-api-key', CERTIFIER_KEY).expect(410);
    expect(erased.body).to.include({ code: 'ERASED', status: 410 });
    await request(app).post('/v1/investors/not%20an%20msp/inv-7/erase').set('x-api-key', CERTIFIER_KEY).expect(400);
    await request(app).post('/v1/investors/Issuer1MSP/inv-7/erase').set('x-api-key', BANK_KEY).expect(401);
    expect(ledger.submits).to.have.length(1);
  });

  it('an issuer the registry does not know is 404 NOT_FOUND, and nothing is submitted', async function () {
    const { app, ledger } = newTestApp();
    const res = await request(app).post('/v1/investors/Issuer9MSP/inv-7/erase').set('x-api-key', CERTIFIER_KEY).expect(404);
    expect(res.body).to.include({ code: 'NOT_FOUND' });
    expect(res.body.detail).to.contain('no such issuer');
    expect(ledger.submits).to.have.length(0);
  });
});
