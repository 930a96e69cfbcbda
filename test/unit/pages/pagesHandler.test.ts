import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { createApp, createGatewayLogger, newGatewayMetrics } from '@kyc-ledger/gateway';
import { FakeLedgerClient } from '../gateway/fakeLedgerClient';
import { appConfig } from '../gateway/testApp';

function builtPages(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-pages-'));
  mkdirSync(path.join(dir, 'wallet'));
  writeFileSync(path.join(dir, 'build.json'), '{}');
  writeFileSync(path.join(dir, 'wallet', 'index.html'), '<!doctype html><title>wallet</title>');
  return dir;
}

function app(pagesDirectory?: string) {
  return createApp({
    config: appConfig('bank'),
    ledger: new FakeLedgerClient(),
    logger: createGatewayLogger({ level: 'silent' }),
    metrics: newGatewayMetrics({ defaultMetrics: false }),
    ...(pagesDirectory !== undefined && { pagesDirectory }),
  });
}

describe('gateway pages (/app/)', function () {
  it('serves a built page without an API key, with a CSP that allows scripts only from itself and no framing', async function () {
    const response = await request(app(builtPages())).get('/app/wallet/').expect(200);
    expect(response.text).to.contain('<title>wallet</title>');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).to.contain("script-src 'self'").and.contain("frame-ancestors 'none'");
    expect(response.headers['cache-control']).to.equal('no-cache');
    // The wallet posts to the bank's gateway; the staff pages talk to their own gateway only.
    expect(csp).to.contain("connect-src 'self' http: https:");
  });

  it('lets the staff pages connect to their own gateway only', async function () {
    const dir = builtPages();
    mkdirSync(path.join(dir, 'counter'));
    writeFileSync(path.join(dir, 'counter', 'index.html'), '<!doctype html><title>counter</title>');
    const response = await request(app(dir)).get('/app/counter/').expect(200);
    expect(String(response.headers['content-security-policy'])).to.contain("connect-src 'self';").and.not.contain('https:');
  });

  it('redirects /app/wallet to /app/wallet/ and answers a coded 404 for what is not there, API untouched', async function () {
    const server = app(builtPages());
    const redirect = await request(server).get('/app/wallet').expect(301);
    expect(redirect.headers['location']).to.equal('/app/wallet/');
    const missing = await request(server).get('/app/nothing.js').expect(404);
    expect(missing.body.code).to.equal('NOT_FOUND');
    await request(server).get('/livez').expect(200);
  });

  it('answers the coded 404 under /app/ when the pages are not built', async function () {
    const missing = await request(app(path.join(tmpdir(), 'kyc-pages-never-built'))).get('/app/wallet/').expect(404);
    expect(missing.body.code).to.equal('NOT_FOUND');
  });
});
