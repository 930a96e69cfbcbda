import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { GatewayError, createApp, createGatewayLogger, newGatewayMetrics, type ChaincodeDefinition, type NetworkNodeConfig } from '@kyc-ledger/gateway';
import { blockchainHeightOf } from '@kyc-ledger/gateway/dist/nodeProbe';
import { FakeLedgerClient } from './fakeLedgerClient';
import { BANK_KEY, appConfig } from './testApp';

/** The fake ledger with the reads a Fabric client has for the status route. */
class StatusLedger extends FakeLedgerClient {
  height: bigint | 'hang' | Error = 42n;
  definition: ChaincodeDefinition | Error = { name: 'kyc', version: '1.2', sequence: 3 };

  override async evaluate<T>(fn: string, args: readonly string[]): Promise<T> {
    if (fn === 'probe:version') return { packageId: 'kyc_1.2:abc', label: 'kyc_1.2', version: '0.1.0' } as T;
    return super.evaluate<T>(fn, args);
  }

  async chainHeight(): Promise<bigint> {
    if (this.height === 'hang') return new Promise<bigint>(() => undefined);
    if (this.height instanceof Error) throw this.height;
    return this.height;
  }

  async chaincodeDefinition(): Promise<ChaincodeDefinition> {
    if (this.definition instanceof Error) throw this.definition;
    return this.definition;
  }
}

type Behaviour = 'healthy' | 'failing' | 'hanging';

/** A stand-in for a Fabric node's operations service on loopback, answering as Fabric does. */
async function operationsServer(behaviour: Behaviour, height: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (behaviour === 'hanging') return; // never answers
    if (req.url === '/healthz') {
      if (behaviour === 'failing') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'Service Unavailable', time: new Date().toISOString(), failed_checks: [{ component: 'couchdb', reason: 'no answer' }] }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'OK', time: new Date().toISOString() }));
      }
      return;
    }
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`# HELP ledger_blockchain_height Height of the chain in blocks.\n# TYPE ledger_blockchain_height gauge\nledger_blockchain_height{channel="other"} 7\nledger_blockchain_height{channel="kyc"} ${height}\n`);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A loopback port with nothing listening (a stopped node). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('GET /v1/network/status', function () {
  const servers: Server[] = [];
  let nodes: NetworkNodeConfig[];

  before(async function () {
    const healthy = await operationsServer('healthy', 17);
    const failing = await operationsServer('failing', 15);
    const hanging = await operationsServer('hanging', 0);
    servers.push(healthy.server, failing.server, hanging.server);
    nodes = [
      { name: 'peer0.bank1', kind: 'peer', org: 'bank1', operationsUrl: healthy.url },
      { name: 'peer0.bank2', kind: 'peer', org: 'bank2', operationsUrl: failing.url },
      { name: 'orderer1', kind: 'orderer', org: 'orderer', operationsUrl: hanging.url },
      { name: 'orderer2', kind: 'orderer', org: 'orderer', operationsUrl: await closedPort() },
    ];
  });

  after(function () {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  function app(ledger: FakeLedgerClient, timeoutMs = 300) {
    return createApp({
      config: appConfig('bank', { channel: 'kyc', chaincode: 'kyc', nodes, timeouts: { evaluateMs: 1000, endorseMs: 1000, submitMs: 1000, commitStatusMs: 1000, nodeProbeMs: timeoutMs } }),
      ledger,
      logger: createGatewayLogger({ level: 'silent' }),
      metrics: newGatewayMetrics({ defaultMetrics: false }),
    });
  }

  it('answers each node\'s health and height, a down node as down with its reason, within the probe timeout', async function () {
    const ledger = new StatusLedger();
    const started = Date.now();
    const res = await request(app(ledger)).get('/v1/network/status').set('x-api-key', BANK_KEY).expect(200);
    expect(Date.now() - started).to.be.lessThan(1500);
    expect(res.body).to.include({ org: 'bank1', channel: 'kyc' });
    expect(res.body.peer).to.deep.equal({ height: 42 });
    expect(res.body.chaincode).to.deep.equal({
      name: 'kyc', definition: { version: '1.2', sequence: 3 }, build: { packageId: 'kyc_1.2:abc', label: 'kyc_1.2', version: '0.1.0' },
    });
    const [healthy, failing, hanging, stopped] = res.body.nodes as Record<string, unknown>[];
    expect(healthy).to.deep.equal({ name: 'peer0.bank1', kind: 'peer', org: 'bank1', health: 'ok', height: 17 });
    expect(failing).to.include({ name: 'peer0.bank2', health: 'down', reason: 'couchdb: no answer', height: 15 });
    expect(hanging).to.include({ name: 'orderer1', health: 'down', height: null });
    expect(hanging?.['reason']).to.match(/within 300 ms/);
    expect(stopped).to.include({ name: 'orderer2', health: 'down', height: null });
    expect(stopped?.['reason']).to.match(/could not be reached/);
    // The answer names no operations address beyond the reason text.
    expect(Object.keys(healthy ?? {})).to.not.include('operationsUrl');
  });

  it('filters by kind, and refuses a bad or unknown query with 400 VALIDATION_FAILED without probing', async function () {
    const ledger = new StatusLedger();
    const peers = await request(app(ledger)).get('/v1/network/status').query({ kind: 'peer' }).set('x-api-key', BANK_KEY).expect(200);
    expect(peers.body.nodes.map((n: { name: string }) => n.name)).to.deep.equal(['peer0.bank1', 'peer0.bank2']);
    const calls = ledger.evaluates.length;
    for (const query of [{ kind: 'client' }, { verbose: '1' }]) {
      const refused = await request(app(ledger)).get('/v1/network/status').query(query).set('x-api-key', BANK_KEY).expect(400);
      expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(refused.body.code).to.equal('VALIDATION_FAILED');
    }
    expect(ledger.evaluates.length).to.equal(calls);
    expect((await request(app(ledger)).get('/v1/network/status').expect(401)).body.code).to.equal('UNAUTHENTICATED');
  });

  it('reuses one answer for 5 s: many calls probe the nodes and the ledger once', async function () {
    let probes = 0;
    const counted = createServer((req, res) => {
      probes++;
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'OK' }));
    });
    await new Promise<void>((resolve) => counted.listen(0, '127.0.0.1', resolve));
    servers.push(counted);
    const ledger = new StatusLedger();
    let heightReads = 0;
    const readHeight = ledger.chainHeight.bind(ledger);
    ledger.chainHeight = () => {
      heightReads++;
      return readHeight();
    };
    const server = createApp({
      config: appConfig('bank', { channel: 'kyc', chaincode: 'kyc', nodes: [{ name: 'peer0.x', kind: 'peer', org: 'x', operationsUrl: `http://127.0.0.1:${(counted.address() as AddressInfo).port}` }] }),
      ledger, logger: createGatewayLogger({ level: 'silent' }), metrics: newGatewayMetrics({ defaultMetrics: false }),
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => request(server).get('/v1/network/status').set('x-api-key', BANK_KEY).expect(200)));
    expect(new Set(answers.map((a) => a.body.checkedAt)).size).to.equal(1);
    // /healthz and /metrics of the one node, once; the peer's height once.
    expect(probes).to.equal(2);
    expect(heightReads).to.equal(1);
  });

  it('reports a ledger that fails or hangs in place, coded, still 200 and still bounded', async function () {
    const ledger = new StatusLedger();
    ledger.height = 'hang';
    ledger.definition = new GatewayError('UPSTREAM_UNAVAILABLE', 'the ledger did not answer');
    const started = Date.now();
    const res = await request(app(ledger, 200)).get('/v1/network/status').query({ kind: 'peer' }).set('x-api-key', BANK_KEY).expect(200);
    expect(Date.now() - started).to.be.lessThan(1500);
    expect(res.body.peer.height).to.equal(null);
    expect(res.body.peer.error).to.deep.include({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(res.body.chaincode.definition).to.equal(null);
    expect(res.body.chaincode.errors).to.deep.equal([{ code: 'UPSTREAM_UNAVAILABLE', message: 'the ledger did not answer' }]);
    expect(res.body.chaincode.build).to.include({ version: '0.1.0' });
  });

  it('reads ledger_blockchain_height of the channel only from Prometheus text', function () {
    const text = '# TYPE ledger_blockchain_height gauge\nledger_blockchain_height{channel="a"} 3\nledger_blockchain_height{channel="kyc"} 9\nledger_blockchain_height_x{channel="kyc"} 1\n';
    expect(blockchainHeightOf(text, 'kyc')).to.equal(9);
    expect(blockchainHeightOf(text, 'b')).to.equal(undefined);
    expect(blockchainHeightOf('', 'kyc')).to.equal(undefined);
  });
});
