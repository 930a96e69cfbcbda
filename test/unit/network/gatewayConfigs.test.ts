import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { loadNetwork } from '@kyc-ledger/network';
import { writeGatewayConfigs } from '@kyc-ledger/network/dist/gateways';
import { networkLayout } from '@kyc-ledger/network/dist/layout';
import { parseGatewayConfig } from '@kyc-ledger/gateway';
import { REPO_ROOT } from '../../support/testNetwork';

describe('rendered gateway configurations: the web wallet', function () {
  it('names the first certifier gateway\'s wallet page as walletUrl for every gateway, and allows its origin by CORS', async function () {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-gwconf-'));
    try {
      const net = loadNetwork(path.join(REPO_ROOT, 'network.yaml'), { dataDir });
      const endpoints = await writeGatewayConfigs(net, networkLayout(net));
      const home = endpoints.find((e) => e.role === 'certifier');
      expect(home).to.not.equal(undefined);
      const walletUrl = `${home?.url}/app/wallet/`;
      expect(endpoints.length).to.be.greaterThan(2);
      for (const endpoint of endpoints) {
        const document = parse(readFileSync(path.join(dataDir, 'gateways', `${endpoint.org}.yaml`), 'utf8')) as Record<string, unknown>;
        expect(document).to.deep.include({ walletUrl, cors: { enabled: true, origins: [new URL(walletUrl).origin] } });
        // The gateway accepts what the network writes.
        expect(parseGatewayConfig(document).walletUrl).to.equal(walletUrl);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
