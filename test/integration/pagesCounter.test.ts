import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { decodeSessionUri } from '@kyc-ledger/crypto';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { consentToSession, openWallet, sessionUriFromLink, type Wallet } from '@kyc-ledger/wallet';
import { launchBrowser, saveScreenshot, seriousA11yViolations } from '../support/browser';
import { createTestNetwork, testProgress } from '../support/testNetwork';

const PERSON = { givenName: 'Élodie', familyName: 'Zwahlen', birthDate: '1988-11-03', nationality: 'CH', documentNumber: 'C7Y4K29Q' };

describe('bank counter page in Chromium against a real network', function () {
  this.timeout(20 * 60_000);
  let network: Network;
  let gateways: Record<string, GatewayEndpoint>;
  let trust: Record<string, string[]>;
  let networkId: string;
  let browser: Browser;
  let page: Page;

  before(async function () {
    network = createTestNetwork('counter', Number(process.env.KYC_TEST_PORT_BASE ?? 17000));
    const up = await network.up(testProgress());
    gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    networkId = `${network.config.name}/${network.config.channel.name}`;
    trust = Object.fromEntries(network.config.orgs.map((org) => {
      const dir = path.join(network.layout.orgMsp(org), 'cacerts');
      return [org.mspId, readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'))];
    }));
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });

  after(async function () {
    await browser?.close();
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  const bank = () => gateways['bank1'] as GatewayEndpoint;

  /** A person with a Node wallet, attested by the certifier through its gateway. */
  async function certifiedPerson(): Promise<Wallet> {
    const wallet = await openWallet({ path: path.join(mkdtempSync(path.join(tmpdir(), 'kyc-wallet-')), 'wallet.json'), insecurePlaintext: true, create: true });
    await wallet.createKey({ kind: 'secp256k1', label: 'me' });
    await wallet.commit({ fields: PERSON, label: 'passport' });
    const { request, attestationId } = await wallet.requestAttestation({ key: 'me', certifier: 'Certifier1MSP', claimTopics: ['identity'], network: networkId, commitment: 'passport' });
    const res = await fetch(`${(gateways['certifier1'] as GatewayEndpoint).url}/v1/attestations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': (gateways['certifier1'] as GatewayEndpoint).apiKey },
      body: JSON.stringify({ ...request, jurisdiction: 'CH', assuranceLevel: 'substantial', expiresAt: '2030-01-01T00:00:00Z', evidenceHash: 'e1'.repeat(32) }),
    });
    expect(res.status, await res.clone().text()).to.equal(201);
    await wallet.attach({ commitment: 'passport', attestationId });
    return wallet;
  }

  async function expectAccessible(state: string): Promise<void> {
    const violations = await seriousA11yViolations(page);
    expect(violations, `${state}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  }

  /** Creates a session on the page and returns the wallet link it shows. */
  async function createSession(): Promise<string> {
    const before = await page.$('[data-testid="wallet-link"]').then((e) => e?.getAttribute('href'));
    await page.fill('#claim-topics', 'identity');
    await page.click('[data-testid="create-session"]');
    // A new session replaces the one shown before.
    await page.waitForFunction((old) => {
      // Runs in the page (the test project has no DOM types).
      const link = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('[data-testid="wallet-link"]');
      return link !== null && link.getAttribute('href') !== old;
    }, before ?? null);
    await page.waitForSelector('[data-testid="session-qr"]');
    await page.waitForSelector('[data-testid="session-state"][data-state="open"]');
    const href = await page.getAttribute('[data-testid="wallet-link"]', 'href');
    if (!href) throw new Error('no wallet link');
    return href;
  }

  it('signs in with the bank key and shows the empty counter (accessible)', async function () {
    await page.goto(`${bank().url}/app/counter/`);
    await page.fill('#api-key', bank().apiKey);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="session-form"]');
    await page.waitForSelector('[data-testid="recent-verifications"]');
    expect(await page.textContent('[data-testid="recent-verifications"]')).to.contain('None yet');
    // Given and family name are asked for by default.
    expect(await page.isChecked('[data-testid="field-givenName"]')).to.equal(true);
    expect(await page.isChecked('[data-testid="field-familyName"]')).to.equal(true);
    await expectAccessible('empty');
  });

  it('shows the QR code, follows the session live and shows Verified with the two values and the receipt in the recent table', async function () {
    const wallet = await certifiedPerson();
    const link = await createSession();
    // The QR code and the link send the phone to the web wallet at the certifier's gateway.
    expect(link.startsWith(`${(gateways['certifier1'] as GatewayEndpoint).url}/app/wallet/#kycledger://session?d=`), link).to.equal(true);
    const src = await page.getAttribute('[data-testid="session-qr"]', 'src');
    expect(src).to.match(/^data:image\/svg\+xml/);
    expect(await page.getAttribute('[data-testid="session-qr"]', 'alt')).to.contain('QR code');
    expect(await page.textContent('[data-testid="session-countdown"]')).to.match(/^[0-9]+:[0-9]{2}$/);
    await expectAccessible('qr');
    await saveScreenshot(page, 'counter-qr');

    // No reload: a marker set in the page now must still be there when the verdict shows.
    await page.evaluate(() => Object.assign(globalThis, { counterMarker: 'still here' }));
    const result = await consentToSession(wallet, link, { commitment: 'passport', trustedCas: trust, submit: true });
    expect(result.response?.status, JSON.stringify(result.response?.body)).to.equal(200);
    const receiptTx = (result.response?.body as { receiptTransactionId?: string }).receiptTransactionId;
    expect(receiptTx).to.be.a('string');

    await page.waitForSelector('[data-testid="verdict"][data-state="verified"]', { timeout: 30_000 });
    expect(await page.evaluate(() => (globalThis as { counterMarker?: string }).counterMarker)).to.equal('still here');
    expect(await page.textContent('[data-testid="verdict"] h2')).to.equal('Verified');
    const values = await page.$$eval('[data-testid="disclosed-values"] tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-field'), r.querySelector('td')?.textContent]));
    expect(values).to.deep.equal([['familyName', 'Zwahlen'], ['givenName', 'Élodie']]);
    expect(await page.textContent('[data-testid="verdict-receipt"]')).to.equal(receiptTx);
    const sessionId = decodeSessionUri(sessionUriFromLink(link)).sessionId;
    await page.waitForSelector(`[data-testid="recent-verifications"] tr[data-session="${sessionId}"]`);
    expect(await page.textContent(`[data-testid="recent-verifications"] tr[data-session="${sessionId}"]`)).to.contain(receiptTx as string).and.contain('Verified');
    expect(await page.textContent('#status')).to.contain('verified');
    await expectAccessible('verified');
    await saveScreenshot(page, 'counter-verified');
  });

  it('shows Refused when the person refuses the next session', async function () {
    const link = await createSession();
    // What the web wallet sends when the person declines: the signed session it received.
    const session = decodeSessionUri(sessionUriFromLink(link));
    const res = await fetch(`${bank().url}/v1/sessions/refusals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session }) });
    expect(res.status, await res.clone().text()).to.equal(200);
    await page.waitForSelector('[data-testid="verdict"][data-state="refused"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="verdict"] h2')).to.equal('Refused');
    expect(await page.textContent('[data-testid="session-state"]')).to.equal('Refused');
    await page.waitForSelector(`[data-testid="recent-verifications"] tr[data-session="${session.sessionId}"]`);
    expect(await page.textContent(`[data-testid="recent-verifications"] tr[data-session="${session.sessionId}"]`)).to.contain('REFUSED');
    await expectAccessible('refused');
    await saveScreenshot(page, 'counter-refused');
  });
});
