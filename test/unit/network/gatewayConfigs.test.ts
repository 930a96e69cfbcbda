import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { loadNetwork } from '@kyc-ledger/network';
import { writeGatewayConfigs } from '@kyc-ledger/network/dist/gateways';
import { rpcAdapterEndpoint } from '@kyc-ledger/network/dist/rpcAdapterProcess';
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

describe('rendered gateway configurations: the RPC adapter', function () {
  it('gives every gateway the adapter\'s address, its server CA and server name once that CA exists, and none before', async function () {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-gwconf-'));
    try {
      const net = loadNetwork(path.join(REPO_ROOT, 'network.yaml'), { dataDir });
      const layout = networkLayout(net);
      const adapter = rpcAdapterEndpoint(net, layout);
      if (!adapter) throw new Error('the default network runs an RPC adapter (issuer1\'s chain)');
      const documents = async () => {
        const endpoints = await writeGatewayConfigs(net, layout);
        return endpoints.map((e) => parse(readFileSync(path.join(dataDir, 'gateways', `${e.org}.yaml`), 'utf8')) as Record<string, unknown>);
      };
      // No crypto material yet (e.g. another org's host): nothing the gateway would fail on.
      for (const document of await documents()) expect(document).to.not.have.property('rpcAdapter');

      mkdirSync(path.dirname(adapter.serverCaFile), { recursive: true });
      writeFileSync(adapter.serverCaFile, 'not read by this test');
      const written = await documents();
      expect(written.length).to.be.greaterThan(2);
      for (const document of written) {
        expect(document['rpcAdapter']).to.deep.equal({ address: adapter.address, serverCaPath: adapter.serverCaFile, serverName: 'localhost' });
        expect(parseGatewayConfig(document).rpcAdapter?.address).to.equal(adapter.address);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
