import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { MemoryLevel } from 'memory-level';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { createApp, createGatewayLogger, newGatewayMetrics } from '@kyc-ledger/gateway';
import type { AdapterConnector } from '@kyc-ledger/gateway/dist/privateChainsReader';
import {
  LinkStore,
  OrgResolver,
  RegistryStore,
  TokenCodec,
  createAdapterClient,
  startAdapterServer,
  type AdapterServer,
  type LevelDb,
  type LinkSyncProgress,
} from '@kyc-ledger/rpc-adapter';
import { createTestCa, issueTestIdentity, type TestIdentity } from '../../support/bankPki';
import { FakeLedgerClient } from './fakeLedgerClient';
import { BANK_KEY, appConfig } from './testApp';

const ASSET = 'BOND-2031';
const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const KEY = { 'x-api-key': BANK_KEY };

/** A loopback port that accepts connections and never says a word (an adapter hung mid-handshake). */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

describe('GET /v1/network/private-chains (a real RPC adapter service in process)', function () {
  this.timeout(30_000);
  let serverCa: TestIdentity;
  let issuerCa: TestIdentity;
  let otherCa: TestIdentity;
  let db: MemoryLevel<string, string>;
  let adapter: AdapterServer;
  let linkId: string;
  const progress = new Map<string, LinkSyncProgress>();
  let progressReads = 0;

  before(async () => {
    serverCa = createTestCa('adapter.example.com');
    issuerCa = createTestCa('issuer1.example.com');
    otherCa = createTestCa('bank1.example.com');
    const serverId = issueTestIdentity(serverCa, 'localhost', { ou: 'peer' });
    db = new MemoryLevel<string, string>();
    await db.open();
    const store = new RegistryStore(db as unknown as LevelDb);
    // Three registry changes of the asset on the ledger: its head is 3.
    const batch = (db as unknown as LevelDb).batch();
    await store.applyBlock(
      {
        number: 0n,
        writes: [],
        validTransactions: 1,
        invalidTransactions: 0,
        events: [{
          txId: 'tx0',
          timestamp: new Date(0).toISOString(),
          changes: [
            { type: 'AssetCreated', id: ASSET, issuer: 'Issuer1MSP' },
            ...[1, 2, 3].map((seq) => ({ type: 'RegistryChanged' as const, asset: ASSET, seq, op: 'authenticate' as const, address: `eip155:1337:0x${String(seq).padStart(40, '0')}` })),
          ],
        }],
      },
      batch,
    );
    await batch.write();
    const links = new LinkStore(db as unknown as LevelDb);
    linkId = (await links.link('Issuer1MSP', 'link-1', ASSET, { chainId: 1337, rpcUrl: 'http://127.0.0.1:8545', contractAddress: CONTRACT, confirmations: 1 })).linkId;
    progress.set(linkId, { appliedSeq: 1, lastError: 'nonce too low', updatedAt: new Date(0).toISOString() });
    adapter = await startAdapterServer(
      {
        store,
        links,
        syncStatus: {
          progress: async (id) => {
            progressReads += 1;
            return progress.get(id);
          },
          syncAccount: () => '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        },
        tokens: new TokenCodec(Buffer.from('test secret'), 60_000),
        orgs: new OrgResolver([
          { mspId: 'Issuer1MSP', caCertsPem: [issuerCa.certificatePem] },
          { mspId: 'Bank1MSP', caCertsPem: [otherCa.certificatePem] },
        ]),
        logger: pino({ level: 'silent' }),
        heartbeatMs: 1_000,
      },
      { certPem: serverId.certificatePem, keyPem: serverId.privateKeyPem },
      '127.0.0.1',
      0,
    );
  });

  after(async () => {
    await adapter?.stop(100);
    await db?.close();
  });

  /** Opens a real client of `port` with a user certificate of `ca` (as the gateway's connector does). */
  function connector(ca: TestIdentity, port: number, counter?: { connects: number }): AdapterConnector {
    const user = issueTestIdentity(ca, 'User1');
    return () => {
      if (counter) counter.connects += 1;
      return createAdapterClient({ address: `127.0.0.1:${port}`, serverCaPem: serverCa.certificatePem, certPem: user.certificatePem, keyPem: user.privateKeyPem, serverName: 'localhost', timeoutMs: 3_000 });
    };
  }

  function gateway(connect: AdapterConnector | undefined, options: { deadlineMs?: number; now?: () => Date } = {}): Express {
    return createApp({
      config: appConfig('bank', { org: { name: 'issuer1', mspId: 'Issuer1MSP', role: 'bank' } }),
      ledger: new FakeLedgerClient(),
      logger: createGatewayLogger({ level: 'silent' }),
      metrics: newGatewayMetrics({ defaultMetrics: false }),
      ...(connect && { rpcAdapter: { connect, ...(options.deadlineMs !== undefined && { deadlineMs: options.deadlineMs }) } }),
      ...(options.now && { now: options.now }),
    });
  }

  it('lists the org\'s links with their sync status, read with the org\'s certificate', async () => {
    const res = await request(gateway(connector(issuerCa, adapter.port))).get('/v1/network/private-chains').set(KEY);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ org: 'Issuer1MSP', configured: true, reachable: true });
    expect(res.body.links).to.deep.equal([
      { linkId, asset: ASSET, chainId: 1337, contract: CONTRACT, syncAccount: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', appliedSeq: 1, ledgerHead: 3, lag: 2, lastError: 'nonce too low' },
    ]);
  });

  it('another member org\'s certificate sees none of them (the adapter answers each org with its own links)', async () => {
    const res = await request(gateway(connector(otherCa, adapter.port))).get('/v1/network/private-chains').set(KEY);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ configured: true, reachable: true });
    expect(res.body.links).to.deep.equal([]);
  });

  it('a certificate of no member org is refused by the adapter: 200, unreachable, said why', async () => {
    const stranger = createTestCa('stranger.example.com');
    const res = await request(gateway(connector(stranger, adapter.port))).get('/v1/network/private-chains').set(KEY);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ configured: true, reachable: false });
    expect(res.body.links).to.deep.equal([]);
    // A TLS handshake the server ends shows as unavailable to gRPC clients; a handshake that passes and a
    // certificate the adapter does not map to an org would be refused as such.
    expect(res.body.reason).to.match(/unavailable|refused this gateway's certificate/);
  });

  it('no adapter configured: 200 with configured false', async () => {
    const res = await request(gateway(undefined)).get('/v1/network/private-chains').set(KEY);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ org: 'Issuer1MSP', configured: false });
    expect(res.body.links).to.deep.equal([]);
  });

  it('an adapter that is down: 200, unreachable, unavailable as the reason, no gRPC text', async () => {
    const closed = await silentServer();
    const port = closed.port;
    await new Promise((resolve) => closed.server.close(resolve));
    const res = await request(gateway(connector(issuerCa, port))).get('/v1/network/private-chains').set(KEY);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ configured: true, reachable: false });
    expect(res.body.reason).to.contain('unavailable');
    expect(res.body.reason).to.not.contain(String(port));
  });

  it('an adapter that does not answer: 200 within the deadline, said so', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const res = await request(gateway(connector(issuerCa, silent.port), { deadlineMs: 400 })).get('/v1/network/private-chains').set(KEY);
      const took = Date.now() - started;
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ configured: true, reachable: false, reason: 'the RPC adapter did not answer within 400 ms' });
      expect(took).to.be.at.least(350).and.below(2_000);
    } finally {
      for (const socket of silent.sockets) socket.destroy();
      silent.server.close();
    }
  });

  it('caches an answer for 5 s and shares one read among concurrent requests', async () => {
    let clock = Date.parse('2026-11-30T12:00:00Z');
    const counter = { connects: 0 };
    const app = gateway(connector(issuerCa, adapter.port, counter), { now: () => new Date(clock) });
    const before = progressReads;
    const first = await Promise.all([1, 2, 3].map(() => request(app).get('/v1/network/private-chains').set(KEY)));
    expect(counter.connects).to.equal(1);
    expect(progressReads - before).to.equal(1);
    for (const res of first) expect(res.body.links[0].appliedSeq).to.equal(1);

    progress.set(linkId, { appliedSeq: 3 });
    clock += 4_900;
    const cached = await request(app).get('/v1/network/private-chains').set(KEY);
    expect(cached.body.links[0]).to.include({ appliedSeq: 1, lag: 2 });
    expect(counter.connects).to.equal(1);

    clock += 200;
    const fresh = await request(app).get('/v1/network/private-chains').set(KEY);
    expect(counter.connects).to.equal(2);
    expect(fresh.body.links[0]).to.include({ appliedSeq: 3, ledgerHead: 3, lag: 0 });
    expect(fresh.body.links[0]).to.not.have.property('lastError');
    expect(fresh.body.checkedAt).to.equal(new Date(clock).toISOString());
  });

  it('needs a key of the gateway', async () => {
    const res = await request(gateway(undefined)).get('/v1/network/private-chains');
    expect(res.status).to.equal(401);
  });
});
