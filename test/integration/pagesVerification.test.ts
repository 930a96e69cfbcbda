import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createBankSession, decodeSessionUri, encodeSessionUri } from '@kyc-ledger/crypto';
import { sessionUriFromLink } from '@kyc-ledger/wallet';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { launchBrowser, saveScreenshot, seriousA11yViolations } from '../support/browser';
import { writeQrY4m } from '../support/qrVideo';
import { createTestNetwork, eventually, testProgress } from '../support/testNetwork';

const PERSON = { givenName: 'Élodie', familyName: 'Zwahlen', birthDate: '1988-11-03', nationality: 'CH', documentNumber: 'C7Y4K29Q' };
const PASSPHRASE = 'a long wallet passphrase';

async function call<T = Record<string, unknown>>(gateway: GatewayEndpoint, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { 'x-api-key': gateway.apiKey, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${state}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
}

function onlyFile(dir: string): string {
  return path.join(dir, readdirSync(dir)[0] as string);
}

describe('pages: the person\'s wallet on a phone and the bank\'s counter, in Chromium against a real network', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let gateways: Record<string, GatewayEndpoint>;
  let networkId: string;
  let browser: Browser;
  let context: BrowserContext;
  /** The person's phone: the web wallet at its home, the certifier's gateway. */
  let page: Page;
  /** The bank clerk's screen: bank1's counter page. */
  let counter: Page;
  let walletUrl: string;
  let bank1: GatewayEndpoint;

  before(async function () {
    network = createTestNetwork('pages', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 1000);
    const up = await network.up(testProgress());
    gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    networkId = `${network.config.name}/${network.config.channel.name}`;
    bank1 = gateways['bank1'] as GatewayEndpoint;
    // The wallet lives at one origin (the first certifier's gateway, as the network renders
    // walletUrl); its consent and refusal go cross-origin to the bank's gateway (CORS).
    walletUrl = `${(gateways['certifier1'] as GatewayEndpoint).url}/app/wallet/`;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    page = await context.newPage();
    counter = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });

  after(async function () {
    await browser?.close();
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  /** The counter creates a session for `fields` and returns the wallet link it shows (and encodes in the QR code). */
  async function counterSession(fields: readonly string[]): Promise<{ link: string; sessionId: string }> {
    const before = await counter.$('[data-testid="wallet-link"]').then((e) => e?.getAttribute('href'));
    for (const box of await counter.$$('[data-testid^="field-"]')) {
      const name = (await box.getAttribute('data-testid'))?.slice('field-'.length) ?? '';
      if ((await box.isChecked()) !== fields.includes(name)) await box.click();
    }
    await counter.fill('#claim-topics', 'identity');
    await counter.click('[data-testid="create-session"]');
    await counter.waitForFunction((old) => {
      // Runs in the page (the test project has no DOM types).
      const link = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('[data-testid="wallet-link"]');
      return link !== null && link.getAttribute('href') !== old;
    }, before ?? null);
    await counter.waitForSelector('[data-testid="session-qr"]');
    await counter.waitForSelector('[data-testid="session-state"][data-state="open"]');
    const link = await counter.getAttribute('[data-testid="wallet-link"]', 'href');
    if (!link) throw new Error('the counter shows no wallet link');
    return { link, sessionId: decodeSessionUri(sessionUriFromLink(link)).sessionId };
  }

  it('the counter signs in with the bank key and shows its empty form', async function () {
    await counter.goto(`${bank1.url}/app/counter/`);
    await counter.fill('#api-key', bank1.apiKey);
    await counter.click('button[type="submit"]');
    await counter.waitForSelector('[data-testid="session-form"]');
    await counter.waitForSelector('[data-testid="recent-verifications"]');
    expect(await counter.textContent('[data-testid="recent-verifications"]')).to.contain('None yet');
    await expectAccessible(counter, 'counter empty');
  });

  it('creates the wallet in the page (passphrase, key) and gets it attested through the certifier', async function () {
    await page.goto(walletUrl);
    await page.locator('#passphrase').fill(PASSPHRASE);
    await page.locator('#passphrase-confirm').fill(PASSPHRASE);
    await expectAccessible(page, 'setup');
    await saveScreenshot(page, 'wallet-setup');
    await page.getByRole('button', { name: 'Create my wallet' }).click();
    await page.getByTestId('details-form').waitFor();
    const accountId = await page.getByTestId('account-id').getAttribute('title');
    expect(accountId).to.match(/^passkey:p256:[1-9A-HJ-NP-Za-km-z]+$/);
    for (const [name, value] of Object.entries(PERSON)) await page.locator(`#field-${name}`).fill(value);
    await page.locator('#network').fill(networkId);
    await expectAccessible(page, 'details');
    await page.getByRole('button', { name: 'Prepare my attestation request' }).click();

    const requestText = await page.getByTestId('attestation-request').textContent();
    const request = JSON.parse(requestText ?? '') as { subject: string; fieldNames: string[]; subjectSignature: { scheme: string } };
    expect(request.subject).to.equal(accountId);
    expect(request.fieldNames).to.deep.equal(Object.keys(PERSON).sort());
    expect(request.subjectSignature.scheme).to.equal('p256-webauthn');
    expect(requestText).not.to.contain('Zwahlen');
    const registered = await call<{ attestation: { id: string } }>(gateways['certifier1'] as GatewayEndpoint, 'POST', '/v1/attestations', {
      ...request, jurisdiction: 'CH', assuranceLevel: 'substantial', expiresAt: '2030-01-01T00:00:00Z', evidenceHash: 'e1'.repeat(32),
    });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    expect(await page.locator('text=Attestation id').textContent()).to.contain(registered.body.attestation.id);
    await page.getByText('Attested by Certifier1MSP').waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'attested');
  });

  it('the counter shows a QR code; the wallet opens its link, shows the verified bank and the two fields, consents by keyboard; the counter shows Verified with the two values, live', async function () {
    const { link, sessionId } = await counterSession(['familyName', 'givenName']);
    expect(link.startsWith(`${walletUrl}#kycledger://session?d=`), link).to.equal(true);
    expect(await counter.getAttribute('[data-testid="session-qr"]', 'src')).to.match(/^data:image\/svg\+xml/);
    await expectAccessible(counter, 'counter qr');
    await saveScreenshot(counter, 'counter-qr');
    // No reload of the counter: a marker set now must still be there when the verdict shows.
    await counter.evaluate(() => Object.assign(globalThis, { counterMarker: 'still here' }));

    await page.goto(link);
    const bank = page.getByTestId('session-bank');
    await bank.waitFor();
    expect(await bank.textContent()).to.equal('Bank One (Bank1MSP), verified');
    const fields = await page.getByTestId('session-fields').textContent();
    expect(fields).to.contain('Zwahlen').and.to.contain('Élodie').and.not.to.contain('1988');
    expect(await page.getByTestId('session-warning').count()).to.equal(0);
    await expectAccessible(page, 'consent');
    await saveScreenshot(page, 'wallet-consent');

    // Keyboard only: the screen's heading has focus; Tab to the consent button and press Enter.
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate("document.activeElement?.getAttribute('data-testid')")) === 'consent';
    }
    expect(reached, 'the consent button is reachable with Tab').to.equal(true);
    await page.keyboard.press('Enter');
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.textContent()).to.equal('verified');
    expect(await page.locator('h2').first().textContent()).to.equal('Verified by Bank One');
    await expectAccessible(page, 'verified');
    await saveScreenshot(page, 'wallet-verified');

    await counter.waitForSelector('[data-testid="verdict"][data-state="verified"]', { timeout: 30_000 });
    expect(await counter.evaluate(() => (globalThis as { counterMarker?: string }).counterMarker)).to.equal('still here');
    expect(await counter.textContent('[data-testid="verdict"] h2')).to.equal('Verified');
    const values = await counter.$$eval('[data-testid="disclosed-values"] tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-field'), r.querySelector('td')?.textContent]));
    expect(values).to.deep.equal([['familyName', 'Zwahlen'], ['givenName', 'Élodie']]);
    const receiptTx = await counter.textContent('[data-testid="verdict-receipt"]');
    expect(receiptTx).to.match(/^[0-9a-f]{64}$/);
    await counter.waitForSelector(`[data-testid="recent-verifications"] tr[data-session="${sessionId}"]`);
    expect(await counter.textContent(`[data-testid="recent-verifications"] tr[data-session="${sessionId}"]`)).to.contain(receiptTx as string).and.contain('Verified');
    await expectAccessible(counter, 'counter verified');
    await saveScreenshot(counter, 'counter-verified');

    // The bank's API says the same, with exactly the two values.
    const status = await call<{ state: string; verdict: { fields: Record<string, string>; receiptTransactionId: string } }>(bank1, 'GET', `/v1/sessions/${sessionId}`);
    expect(status.body.state).to.equal('verified');
    expect(status.body.verdict.fields).to.deep.equal({ familyName: 'Zwahlen', givenName: 'Élodie' });
    expect(status.body.verdict.receiptTransactionId).to.equal(receiptTx);
  });

  it('the wallet refuses the next session (opened on a fresh load, unlocked with the passphrase); the counter shows Refused and nothing is disclosed', async function () {
    const { link, sessionId } = await counterSession(['birthDate']);
    // As a phone opens the counter's link: a fresh load, the wallet locked, the session kept until unlocked.
    await page.goto('about:blank');
    await page.goto(link);
    await page.locator('#passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    expect(await page.getByTestId('session-fields').textContent()).to.contain('1988-11-03');
    await page.getByTestId('refuse').click();
    await page.getByText('You refused').first().waitFor();
    await expectAccessible(page, 'refused');

    await counter.waitForSelector('[data-testid="verdict"][data-state="refused"]', { timeout: 30_000 });
    expect(await counter.textContent('[data-testid="verdict"] h2')).to.equal('Refused');
    expect(await counter.$$('[data-testid="disclosed-values"]')).to.have.length(0);
    await counter.waitForSelector(`[data-testid="recent-verifications"] tr[data-session="${sessionId}"]`);
    expect(await counter.textContent(`[data-testid="recent-verifications"] tr[data-session="${sessionId}"]`)).to.contain('REFUSED');
    await expectAccessible(counter, 'counter refused');
    await saveScreenshot(counter, 'counter-refused');
    const status = await call<{ state: string; verdict?: { fields?: unknown } }>(bank1, 'GET', `/v1/sessions/${sessionId}`);
    expect(status.body.state).to.equal('refused');
    expect(status.body.verdict?.fields).to.equal(undefined);
  });

  it('warns about a session of another bank (names Bank1, signed with Bank2\'s identity) and offers no consent', async function () {
    const bank2Org = network.config.orgs.find((o) => o.mspId === 'Bank2MSP');
    if (!bank2Org) throw new Error('the test network has no Bank2MSP');
    const msp = network.layout.orgUser(bank2Org).msp;
    const forged = createBankSession(
      { network: networkId, bank: { mspId: 'Bank1MSP', name: 'Bank One' }, fields: ['familyName', 'givenName'], claimTopics: ['identity'], ttlSeconds: 300, submitUrl: `${bank1.url}/v1/sessions/submissions` },
      { certificatePem: readFileSync(onlyFile(path.join(msp, 'signcerts')), 'utf8'), privateKeyPem: readFileSync(onlyFile(path.join(msp, 'keystore')), 'utf8') },
    );
    await page.goto(`${walletUrl}#${encodeSessionUri(forged)}`);
    const warning = page.getByTestId('session-warning');
    await warning.waitFor();
    expect(await warning.textContent()).to.contain('This session names Bank One but is not signed with the certificate Bank1MSP published');
    expect(await page.getByTestId('consent').count()).to.equal(0);
    expect(await page.getByTestId('session-bank').count()).to.equal(0);
    await expectAccessible(page, 'warning');
    await saveScreenshot(page, 'wallet-warning');
  });

  it('scans the counter\'s QR code (the link form) with the camera and shows who asks', async function () {
    const { link } = await counterSession(['familyName', 'givenName']);
    const video = path.join(mkdtempSync(path.join(tmpdir(), 'kyc-qr-')), 'qr.y4m');
    // What the counter page's QR code carries: the wallet's address with the session in the fragment.
    writeQrY4m(link, video);
    const cameraBrowser = await launchBrowser({ fakeCameraFile: video });
    try {
      const phone = await cameraBrowser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, permissions: ['camera'] });
      const scanPage = await phone.newPage();
      await scanPage.goto(walletUrl);
      await scanPage.locator('#passphrase').fill(PASSPHRASE);
      await scanPage.locator('#passphrase-confirm').fill(PASSPHRASE);
      await scanPage.getByRole('button', { name: 'Create my wallet' }).click();
      // A new wallet, not attested yet: the session opens from the home screen's scan button.
      await scanPage.locator('#details-title').waitFor();
      for (const [name, value] of Object.entries(PERSON)) await scanPage.locator(`#field-${name}`).fill(value);
      await scanPage.locator('#network').fill(networkId);
      await scanPage.getByRole('button', { name: 'Prepare my attestation request' }).click();
      await scanPage.getByRole('button', { name: 'Scan the QR code' }).click();
      const bank = scanPage.getByTestId('session-bank');
      await bank.waitFor({ timeout: 60_000 });
      expect(await bank.textContent()).to.equal('Bank One (Bank1MSP), verified');
      // Not attested yet: the page says so instead of offering consent.
      expect(await scanPage.getByTestId('session-warning').textContent()).to.contain('not active yet');
      expect(await scanPage.getByTestId('consent').count()).to.equal(0);
    } finally {
      await cameraBrowser.close();
    }
  });

  it('opens again offline from its service worker and unlocks with the passphrase', async function () {
    await eventually(async () => {
      const controlled = await page.evaluate('navigator.serviceWorker.controller !== null');
      expect(controlled).to.equal(true);
    });
    await context.setOffline(true);
    try {
      await page.goto(walletUrl);
      await page.locator('#passphrase').fill('not the passphrase');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByText('That passphrase does not open this wallet.').waitFor();
      await page.locator('#passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByTestId('attestation-request').waitFor();
    } finally {
      await context.setOffline(false);
    }
  });
});
