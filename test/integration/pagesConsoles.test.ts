import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { launchBrowser, saveScreenshot, seriousA11yViolations } from '../support/browser';
import { createTestNetwork, testProgress } from '../support/testNetwork';
import { setUpTransferAsset, type TransferAsset } from '../support/transferAssetFixture';

interface Reply<T> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(gateway: GatewayEndpoint, method: 'GET' | 'POST', route: string, apiKey: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${gateway.url}${route}`, {
    method,
    headers: { 'x-api-key': apiKey, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

interface Reason {
  code: number;
  message: string;
}

describe('the admin and issuer consoles in Chromium (real network)', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let gateways: Record<string, GatewayEndpoint>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const gateway = (org: string) => gateways[org] as GatewayEndpoint;

  before(async function () {
    network = createTestNetwork('consoles', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 600);
    const up = await network.up(testProgress());
    gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    browser = await launchBrowser();
  });

  after(async function () {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  /** A fresh tab (its own sessionStorage) signed in to `page` of `org`'s gateway with `apiKey`. */
  async function signedIn(org: string, pageName: 'admin' | 'issuer', apiKey: string): Promise<Page> {
    // bypassCSP: the axe harness injects axe-core as an inline script, which the gateway's CSP
    // (script-src 'self') refuses; the pages themselves use no inline script or style.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${gateway(org).url}/app/${pageName}/`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(errors).to.deep.equal([]);
    return page;
  }

  async function expectAccessible(page: Page, state: string): Promise<void> {
    expect(await seriousA11yViolations(page), state).to.deep.equal([]);
  }

  it('admin console with an admin key: members, accreditations, every node healthy with a height, the chaincode version; a proposal approved from the page', async function () {
    const bank1 = gateway('bank1');
    const bank2 = gateway('bank2');
    const proposed = await call<{ result: { id: string } }>(bank1, 'POST', '/v1/governance/proposals', bank1.adminApiKey, { action: 'addMember', payload: { mspId: 'Bank9MSP', name: 'Bank Nine', roles: ['bank'] } });
    expect(proposed.status, JSON.stringify(proposed.body)).to.equal(201);
    const id = proposed.body.result.id;

    const page = await signedIn('bank2', 'admin', bank2.adminApiKey);
    const members = page.locator('#members tbody tr');
    await members.first().waitFor();
    const memberText = await members.allInnerTexts();
    for (const mspId of ['Certifier1MSP', 'Bank1MSP', 'Bank2MSP', 'Issuer1MSP']) expect(memberText.join('\n')).to.contain(mspId);
    expect(await page.locator('#accreditations tbody tr').allInnerTexts()).to.satisfy((rows: string[]) => rows.some((r) => r.includes('Certifier1MSP') && r.includes('active')));

    const nodeRows = page.locator('#network tbody tr');
    await nodeRows.first().waitFor();
    const expectedNodes = network.config.orgs.reduce((n, org) => n + org.peers.length, 0) + network.config.ordererOrg.nodes.length;
    const rows = await nodeRows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    expect(rows).to.have.length(expectedNodes);
    for (const [name, , , health, height] of rows) {
      expect(health, `${name}`).to.equal('healthy');
      expect(Number(height), `${name} height`).to.be.greaterThan(0);
    }
    const status = await call<{ chaincode: { definition: { version: string; sequence: number } } }>(bank2, 'GET', '/v1/network/status', bank2.apiKey);
    const { version, sequence } = status.body.chaincode.definition;
    expect(sequence).to.be.greaterThan(0);
    expect(await page.locator('#chaincode-version').innerText()).to.contain(`definition version ${version}, sequence ${sequence}`);

    const row = page.locator('#proposals tr', { has: page.locator(`button[data-proposal="${id}"]`) });
    await row.waitFor();
    expect(await row.innerText()).to.contain('Add member Bank9MSP');
    // bank2's gateway reaches the adapter (rendered rpcAdapter), which lists no link of a bank.
    const notice = page.locator('#chains-notice');
    await notice.waitFor();
    expect(await notice.innerText()).to.contain('No private chain is linked to an asset of Bank2MSP');
    await expectAccessible(page, 'admin console, proposal open');

    await row.getByRole('button', { name: 'Approve' }).click();
    // The status line said "… loaded" before: wait for the approval's own message.
    await page.locator('#status[data-kind="ok"]', { hasText: `Proposal ${id.slice(0, 8)}` }).waitFor();
    expect(await page.locator('#status').innerText()).to.contain('approved; approved by Bank1MSP, Bank2MSP');
    // The list is read again: the proposal stays open (2 of 4 approvals) and now names bank2.
    await page.locator('#proposals tr', { has: page.locator(`button[data-proposal="${id}"]`) }).filter({ hasText: 'Bank2MSP' }).waitFor();
    const after = await call<{ approvals: string[]; status: string }>(bank2, 'GET', `/v1/governance/proposals/${id}`, bank2.apiKey);
    expect(after.body.approvals).to.deep.equal(['Bank1MSP', 'Bank2MSP']);
    expect(after.body.status).to.equal('open');
    await expectAccessible(page, 'admin console, after approval');
  });

  it('admin console with the org\'s non-admin key: the Approve button answers with the clear 403 message and nothing changes', async function () {
    const issuer1 = gateway('issuer1');
    const open = await call<{ proposals: { id: string; approvals: string[] }[] }>(issuer1, 'GET', '/v1/governance/proposals?status=open', issuer1.apiKey);
    const target = open.body.proposals[0];
    if (!target) throw new Error('the previous test left no open proposal');
    const page = await signedIn('issuer1', 'admin', issuer1.apiKey);
    const button = page.locator(`button[data-proposal="${target.id}"]`);
    await button.click();
    await page.locator('#status[data-kind="error"]').waitFor();
    expect(await page.locator('#status').innerText()).to.contain('Only an admin key can approve proposals');
    expect(await page.locator('tr', { has: button }).innerText()).to.contain('Only an admin key can approve proposals');
    const after = await call<{ approvals: string[] }>(issuer1, 'GET', `/v1/governance/proposals/${target.id}`, issuer1.apiKey);
    expect(after.body.approvals).to.deep.equal(target.approvals);
    await expectAccessible(page, 'admin console, 403');
  });

  it('issuer console: the asset\'s rule sets, registrations, and a failing transfer check with every reason in English and German', async function () {
    const issuer1 = gateway('issuer1');
    const asset: TransferAsset = await setUpTransferAsset(network, Object.values(gateways), 'CONSOLE1', 4);
    // investors[0] is a US holder (locked up for a year); the amount is above the maximum balance.
    const check = { from: asset.investors[0]?.accountId, to: asset.investors[2]?.accountId, amount: '5000000' };
    const viaApi = async (locale: string) => (await call<{ reasons: Reason[] }>(issuer1, 'POST', `/v1/assets/${asset.asset}/transfer-checks`, issuer1.apiKey, { ...check, locale })).body.reasons;

    const page = await signedIn('issuer1', 'issuer', issuer1.apiKey);
    await page.getByLabel('Asset id').fill(asset.asset);
    await page.getByRole('button', { name: 'Load' }).click();
    const ruleSetRows = page.locator('#rule-sets tbody tr');
    await ruleSetRows.first().waitFor();
    const versions = (await call<unknown[]>(issuer1, 'GET', `/v1/assets/${asset.asset}/rule-sets`, issuer1.apiKey)).body;
    expect(await ruleSetRows.count()).to.equal(versions.length);
    expect(await ruleSetRows.first().innerText()).to.contain('in force');
    expect(await page.locator('#registrations tbody tr').count()).to.be.at.least(4);

    const shown: Record<string, string[]> = {};
    for (const locale of ['en', 'de']) {
      await page.getByLabel('From (account id; empty for an issuance)').fill(check.from ?? '');
      await page.getByLabel('To (account id)').fill(check.to ?? '');
      await page.getByLabel('Amount').fill(check.amount);
      await page.getByLabel('Language of the reasons').selectOption(locale);
      await page.getByRole('button', { name: 'Check transfer' }).click();
      await page.locator(`#check-result [lang="${locale}"] .reason`).first().waitFor();
      shown[locale] = await page.locator('#check-result .reason').allInnerTexts();
      const expected = await viaApi(locale);
      expect(expected.length, 'a transfer failing for several reasons').to.be.at.least(2);
      expect(shown[locale]).to.deep.equal(expected.map((r) => r.message));
      if (locale === 'en') {
        await expectAccessible(page, 'issuer console, restricted transfer');
        await saveScreenshot(page, 'issuer-console');
      }
    }
    expect(shown['de']).to.not.deep.equal(shown['en']);
  });

  it('admin console on issuer1\'s gateway: issuer1\'s linked private chain with its applied sequence, ledger head and lag', async function () {
    const issuer1 = gateway('issuer1');
    // The issuer console's asset is auto-linked to issuer1's geth chain; wait until the sync driver applied some of its registrations.
    const deadline = Date.now() + 180_000;
    type Chains = { configured: boolean; reachable?: boolean; reason?: string; links: { linkId: string; asset: string; chainId: number; contract: string; appliedSeq: number; ledgerHead: number; lag: number }[] };
    let chains: Chains;
    for (;;) {
      chains = (await call<Chains>(issuer1, 'GET', '/v1/network/private-chains', issuer1.apiKey)).body;
      if (chains.links.some((l) => l.asset === 'CONSOLE1' && l.appliedSeq > 0)) break;
      if (Date.now() > deadline) throw new Error(`no applied change on CONSOLE1's chain after 180 s: ${JSON.stringify(chains)}`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    expect(chains).to.include({ configured: true, reachable: true });
    const link = chains.links.find((l) => l.asset === 'CONSOLE1');
    if (!link) throw new Error('unreachable');

    const page = await signedIn('issuer1', 'admin', issuer1.adminApiKey);
    const chainRow = page.locator('#private-chains tbody tr', { hasText: 'CONSOLE1' });
    await chainRow.waitFor();
    const [linkId, asset, chainId, contract, applied, lag] = await chainRow.locator('td').allInnerTexts();
    expect([linkId, asset, chainId, contract]).to.deep.equal([link.linkId, 'CONSOLE1', String(link.chainId), link.contract]);
    expect(applied).to.match(/^\d+ \/ \d+$/);
    const [shownApplied, shownHead] = (applied as string).split(' / ').map(Number);
    expect(shownApplied).to.be.at.least(link.appliedSeq);
    expect(shownHead).to.be.at.least(shownApplied as number);
    const lagValue = Number(await chainRow.locator('[data-lag]').getAttribute('data-lag'));
    expect(Number.isInteger(lagValue), `lag ${lag}`).to.equal(true);
    expect(lagValue).to.equal((shownHead as number) - (shownApplied as number));
    expect(await page.locator('#private-chains').innerText()).to.not.contain('could not be read');
    // The proposal bank2 approved is still open (2 of 4): the screenshot shows every card.
    await page.locator('#proposals button[data-proposal]').first().waitFor();
    await expectAccessible(page, 'admin console, linked private chain');
    await saveScreenshot(page, 'admin-console');
  });
});
