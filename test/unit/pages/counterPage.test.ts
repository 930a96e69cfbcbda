import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { decodeSessionUri } from '@kyc-ledger/crypto';
import { createApp, createGatewayLogger, newGatewayMetrics } from '@kyc-ledger/gateway';
import { createTestBank } from '../../support/bankPki';
import { launchBrowser } from '../../support/browser';
import { REPO_ROOT } from '../../support/testNetwork';
import { FakeLedgerClient } from '../gateway/fakeLedgerClient';
import { appConfig, BANK_KEY } from '../gateway/testApp';

/** The counter page in Chromium against a bank gateway over the in-memory ledger (no Fabric). */
describe('counter page (Chromium, in-memory ledger)', function () {
  this.timeout(60_000);
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;

  before(async function () {
    const pki = createTestBank();
    const app = createApp({
      config: appConfig('bank', { walletUrl: 'http://127.0.0.1:1/app/wallet/' }),
      ledger: new FakeLedgerClient(),
      logger: createGatewayLogger({ level: 'silent' }),
      metrics: newGatewayMetrics({ defaultMetrics: false }),
      sessionSigner: { certificatePem: pki.user.certificatePem, privateKeyPem: pki.user.privateKeyPem },
      pagesDirectory: path.join(REPO_ROOT, 'pages', 'dist'),
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });

  after(async function () {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
  });

  it('asks for the key again, saying why, when the gateway refuses it', async function () {
    await page.goto(`${url}/app/counter/`);
    await page.fill('#api-key', 'not-a-key-of-this-gateway');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document.getElementById('status')?.textContent?.includes('refused this API key') === true);
    expect(await page.isVisible('#api-key')).to.equal(true);
  });

  it('refuses to create a session without fields, then shows a session and its refusal live', async function () {
    await page.fill('#api-key', BANK_KEY);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="session-form"]');
    await page.uncheck('[data-testid="field-givenName"]');
    await page.uncheck('[data-testid="field-familyName"]');
    await page.click('[data-testid="create-session"]');
    expect(await page.textContent('#status')).to.contain('at least one field');
    expect(await page.$('[data-testid="session"]')).to.equal(null);
    await page.fill('#claim-topics', 'Not A Topic');
    await page.check('[data-testid="field-birthDate"]');
    await page.click('[data-testid="create-session"]');
    expect(await page.textContent('#status')).to.contain('is not a claim topic');
    await page.fill('#claim-topics', 'identity');
    await page.click('[data-testid="create-session"]');
    await page.waitForSelector('[data-testid="session-state"][data-state="open"]');
    const link = await page.getAttribute('[data-testid="wallet-link"]', 'href') ?? '';
    expect(link.startsWith('http://127.0.0.1:1/app/wallet/#kycledger://session?d=')).to.equal(true);
    const session = decodeSessionUri(link.slice(link.indexOf('#') + 1));
    expect(session.fields).to.deep.equal(['birthDate']);
    expect(session.claimTopics).to.deep.equal(['identity']);
    const res = await fetch(`${url}/v1/sessions/refusals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session }) });
    expect(res.status).to.equal(200);
    await page.waitForSelector('[data-testid="verdict"][data-state="refused"]');
    expect(await page.textContent('[data-testid="session-state"]')).to.equal('Refused');
    await page.waitForSelector(`[data-testid="recent-verifications"] tr[data-session="${session.sessionId}"]`);
  });
});
