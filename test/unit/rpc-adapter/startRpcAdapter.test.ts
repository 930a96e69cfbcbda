import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { adapterService, loadRpcAdapterConfig, startRpcAdapter, type RunningRpcAdapter } from '@kyc-ledger/rpc-adapter';
import { createTestCa, issueTestIdentity } from '../../support/bankPki';

const PORT = Number(process.env.KYC_TEST_PORT_BASE ?? 54000) + 3;

describe('rpc-adapter on disk (classic-level), across a restart', function () {
  this.timeout(60000);
  let dir: string;
  let adapter: RunningRpcAdapter | undefined;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kyc-rpc-adapter-'));
  });
  after(async () => {
    await adapter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the registry, links and the token key, so a client resumes where it was', async () => {
    const serverCa = createTestCa('adapter.example.com');
    const orgCa = createTestCa('org1.example.com');
    const serverId = issueTestIdentity(serverCa, 'localhost', { ou: 'peer' });
    writeFileSync(path.join(dir, 'server.pem'), serverId.certificatePem);
    writeFileSync(path.join(dir, 'server.key'), serverId.privateKeyPem);
    writeFileSync(path.join(dir, 'org1-ca.pem'), orgCa.certificatePem);
    writeFileSync(path.join(dir, 'token.secret'), randomBytes(32));
    writeFileSync(
      path.join(dir, 'adapter.yaml'),
      `listen: { host: localhost, port: ${PORT} }\ndataDir: data\ntls: { certFile: server.pem, keyFile: server.key }\n` +
        'tokenSecretFile: token.secret\norgs: [{ mspId: Org1MSP, caCertFiles: [org1-ca.pem] }]\nlogLevel: silent\nheartbeatMs: 200\n',
    );
    const config = loadRpcAdapterConfig(path.join(dir, 'adapter.yaml'));
    const user = issueTestIdentity(orgCa, 'User1@org1.example.com');
    const Client = adapterService();
    const connect = () =>
      new Client(
        `localhost:${PORT}`,
        grpc.credentials.createSsl(Buffer.from(serverCa.certificatePem), Buffer.from(user.privateKeyPem), Buffer.from(user.certificatePem)),
      ) as grpc.Client & Record<string, Function>;
    const unary = <T>(c: Record<string, Function>, method: string, request: object) =>
      new Promise<T>((resolve, reject) => c[method]!.call(c, request, (e: Error | null, r: T) => (e ? reject(e) : resolve(r))));
    const address = 'eip155:1:0x' + '0'.repeat(38) + '42';

    adapter = await startRpcAdapter(config);
    const batch = adapter.db.batch();
    await adapter.store.applyBlock(
      {
        number: 0n,
        writes: [],
        validTransactions: 1,
        invalidTransactions: 0,
        events: [
          {
            txId: 't0',
            timestamp: '2026-01-01T00:00:00.000Z',
            changes: [
              { type: 'AssetCreated', id: 'BOND-1', issuer: 'Org1MSP' },
              { type: 'RegistryChanged', asset: 'BOND-1', seq: 1, op: 'authenticate', address },
            ],
          },
        ],
      },
      batch,
    );
    await batch.write();
    let c = connect();
    const chain = { chainId: 1337, rpcUrl: 'http://127.0.0.1:8545', contractAddress: `0x${'cd'.repeat(20)}`, confirmations: 1 };
    const link = await unary<{ linkId: string }>(c, 'LinkChain', { requestId: 'r1', asset: 'BOND-1', chain });
    const listed = await unary<{ resumeToken: string }>(c, 'ListAddresses', { asset: 'BOND-1' });
    c.close();
    await adapter.close();

    adapter = await startRpcAdapter(config);
    c = connect();
    expect((await unary<{ links: Array<{ linkId: string }> }>(c, 'ListLinks', {})).links.map((l) => l.linkId)).to.deep.equal([link.linkId]);
    expect(await unary(c, 'LinkChain', { requestId: 'r1', asset: 'BOND-1', chain })).to.deep.include({ linkId: link.linkId });
    expect(await unary(c, 'GetAddress', { asset: 'BOND-1', address })).to.include({ authenticated: true, seq: 1 });
    // A token from before the restart still resumes: a heartbeat (no change after seq 1) arrives.
    const first = await new Promise<{ event: string }>((resolve, reject) => {
      const call = c.WatchChanges!.call(c, { asset: 'BOND-1', resumeToken: listed.resumeToken }) as grpc.ClientReadableStream<{ event: string }>;
      call.on('data', (m: { event: string }) => {
        resolve(m);
        call.cancel();
      });
      call.on('error', (e: grpc.ServiceError) => e.code !== grpc.status.CANCELLED && reject(e));
    });
    expect(first.event).to.equal('heartbeat');
    c.close();
  });
});
