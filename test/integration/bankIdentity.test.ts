import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { GatewayEndpoint, Network } from '@kyc-ledger/network';
import { showSessionFromGateway } from '@kyc-ledger/wallet';
import { createTestNetwork, testProgress } from '../support/testNetwork';

/** wallet/dist/cli.js, found from the compiled test location test/dist/integration. */
const CLI = path.resolve(__dirname, '..', '..', '..', 'wallet', 'dist', 'cli.js');

function onlyPem(dir: string): string {
  return readdirSync(dir).sort().map((f) => readFileSync(path.join(dir, f), 'utf8')).join('');
}

describe('bank identity for wallets: published session certificates (end-to-end)', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let gateways: Record<string, GatewayEndpoint>;

  before(async function () {
    network = createTestNetwork('bankid', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 5000);
    const up = await network.up(testProgress());
    gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
  });

  after(async function () {
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  it('after up, each bank\'s session certificate is on the registry, served by every gateway\'s public route', async function () {
    for (const org of network.config.orgs.filter((o) => network.config.channel.members.includes(o.name))) {
      // The certificate a bank gateway signs sessions with, and the org's CA, from the bank's own crypto material.
      const userMsp = network.layout.orgUser(org).msp;
      const signer = new X509Certificate(onlyPem(path.join(userMsp, 'signcerts')));
      const ca = new X509Certificate(onlyPem(path.join(network.layout.orgMsp(org), 'cacerts')));
      for (const gateway of Object.values(gateways)) {
        const res = await fetch(`${gateway.url}/v1/public/members/${org.mspId}/session-certificate`);
        const body = (await res.json()) as { mspId: string; chain: string; fingerprint256: string; caFingerprint256: string; txId: string };
        if (org.role !== 'bank') {
          expect(res.status, `${org.mspId} via ${gateway.org}`).to.equal(404);
          continue;
        }
        expect(res.status, `${org.mspId} via ${gateway.org}: ${JSON.stringify(body)}`).to.equal(200);
        expect(body).to.include({ mspId: org.mspId, fingerprint256: signer.fingerprint256, caFingerprint256: ca.fingerprint256 });
        expect(new X509Certificate(body.chain).fingerprint256).to.equal(signer.fingerprint256);
        expect(body.txId).to.match(/^[0-9a-f]{64}$/);
      }
    }
  });

  it('kyc-wallet verifies a real Bank One session from the published certificate (library and CLI), pinning Bank One\'s CA', async function () {
    const bank1 = gateways['bank1'] as GatewayEndpoint;
    const created = await fetch(`${bank1.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': bank1.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: ['givenName'], claimTopics: ['identity'] }),
    });
    expect(created.status).to.equal(201);
    const { uri } = (await created.json()) as { uri: string };
    const home = mkdtempSync(path.join(tmpdir(), 'kyc-bankid-'));
    const pinsFile = path.join(home, 'pins.json');
    // Fetched through another member's gateway: any member's gateway serves the registry.
    const issuerUrl = (gateways['issuer1'] as GatewayEndpoint).url;
    const verified = await showSessionFromGateway(uri, { gatewayUrl: issuerUrl, pinsFile });
    expect(verified.summary.bank).to.deep.equal({ mspId: 'Bank1MSP', name: 'Bank One' });
    const bank1Org = network.config.orgs.find((o) => o.mspId === 'Bank1MSP');
    const ca = new X509Certificate(onlyPem(path.join(network.layout.orgMsp(bank1Org as NonNullable<typeof bank1Org>), 'cacerts')));
    expect(verified.published).to.include({ pin: 'new', caFingerprint256: ca.fingerprint256 });

    const cli = spawnSync(process.execPath, [CLI, 'session', 'show', uri, '--gateway', (gateways['certifier1'] as GatewayEndpoint).url, '--pins', pinsFile, '--json'], { encoding: 'utf8', env: { ...process.env, HOME: home } });
    expect(cli.status, cli.stdout + cli.stderr).to.equal(0);
    const shown = JSON.parse(cli.stdout) as { bank: { mspId: string }; published: { pin: string } };
    expect(shown.bank.mspId).to.equal('Bank1MSP');
    expect(shown.published.pin).to.equal('matched');
  });

  it('a session of Bank Two is not accepted as Bank One\'s published signer', async function () {
    const bank2 = gateways['bank2'] as GatewayEndpoint;
    const created = await fetch(`${bank2.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': bank2.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: ['givenName'] }),
    });
    const { session } = (await created.json()) as { session: Record<string, unknown> };
    const home = mkdtempSync(path.join(tmpdir(), 'kyc-bankid-'));
    // Bank Two's signed session relabelled as Bank One's: the signature no longer verifies.
    const relabelled = { ...session, bank: { mspId: 'Bank1MSP', name: 'Bank One' } };
    const error = await showSessionFromGateway(relabelled as never, { gatewayUrl: bank2.url, pinsFile: path.join(home, 'pins.json') }).then(() => undefined, (e: { code?: string }) => e);
    expect(error?.code).to.equal('SESSION_SIGNATURE_INVALID');
  });
});
