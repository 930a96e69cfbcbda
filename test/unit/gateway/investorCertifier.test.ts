import { expect } from 'chai';
import request from 'supertest';
import { GatewayError, GatewayErrorCodes } from '@kyc-ledger/gateway';
import { BANK_KEY, newTestApp } from './testApp';

// The issuer test app's key is BANK_KEY with the issuer role.
const ISSUER_KEY = BANK_KEY;

describe('issuer investor routes: the certifier in the path', function () {
  it('an unregistered certifier is 404 NOT_FOUND, and the investor record is never asked for', async function () {
    const { app, ledger } = newTestApp('issuer');
    const read = await request(app).get('/v1/investors/Nobody9MSP/inv-1').set('x-api-key', ISSUER_KEY).expect(404);
    expect(read.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(read.body).to.include({ code: 'NOT_FOUND', detail: 'no such certifier: Nobody9MSP' });
    expect(read.body.details).to.deep.equal({ certifier: 'Nobody9MSP' });
    const erase = await request(app).post('/v1/investors/Nobody9MSP/inv-1/erase').set('x-api-key', ISSUER_KEY).expect(404);
    expect(erase.body).to.include({ code: 'NOT_FOUND', detail: 'no such certifier: Nobody9MSP' });
    // A member that is not a certifier is no certifier either.
    await request(app).get('/v1/investors/Bank1MSP/inv-1').set('x-api-key', ISSUER_KEY).expect(404);
    expect(ledger.evaluates.map((c) => c.fn)).to.deep.equal(['registry:listMembers', 'registry:listMembers', 'registry:listMembers']);
    expect(ledger.submits).to.deep.equal([]);
  });

  it('a registered certifier reaches the ledger', async function () {
    const { app, ledger } = newTestApp('issuer');
    await request(app).get('/v1/investors/Certifier1MSP/inv-1').set('x-api-key', ISSUER_KEY).expect(200);
    expect(ledger.evaluates.at(-1)).to.deep.equal({ fn: 'investor:get', args: ['{"certifier":"Certifier1MSP","id":"inv-1","issuer":"Issuer1MSP"}'] });
    await request(app).post('/v1/investors/Certifier1MSP/inv-1/erase').set('x-api-key', ISSUER_KEY).expect(200);
    expect(ledger.submits.map((c) => c.fn)).to.deep.equal(['investor:erase']);
  });

  it('private data the peer cannot read is a coded 403 carrying only the collection', async function () {
    const { app, ledger } = newTestApp('issuer');
    // What the chaincode now answers for a collection this peer cannot read.
    ledger.failNext('investor:get', new GatewayError(GatewayErrorCodes.PRIVATE_DATA_UNAVAILABLE, 'private data of investor__Issuer1MSP__Certifier1MSP is not available to this caller or peer', {
      details: { collection: 'investor__Issuer1MSP__Certifier1MSP' },
    }));
    const res = await request(app).get('/v1/investors/Certifier1MSP/inv-1').set('x-api-key', ISSUER_KEY).expect(403);
    expect(res.body.code).to.equal('PRIVATE_DATA_UNAVAILABLE');
    expect(res.body.details).to.deep.equal({ collection: 'investor__Issuer1MSP__Certifier1MSP' });
  });
});
