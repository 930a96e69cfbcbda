import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import * as descriptor from 'protobufjs/ext/descriptor';
import { expect } from 'chai';
import { MemoryLevel } from 'memory-level';
import pino from 'pino';
import type { LedgerChange, RegistryOp } from '@kyc-ledger/api';
import { normaliseAccountId } from '@kyc-ledger/crypto';
import {
  ADAPTER_SERVICE_NAME,
  ERROR_CODE_TRAILER,
  ERROR_DETAILS_TRAILER,
  LinkStore,
  OrgResolver,
  RegistryStore,
  TokenCodec,
  adapterService,
  startAdapterServer,
  type AdapterServer,
  type CommittedBlock,
  type LevelDb,
  type LinkSyncProgress,
  type WatchChangesResponse,
} from '@kyc-ledger/rpc-adapter';
import { createTestCa, issueTestIdentity, type TestIdentity } from '../../support/bankPki';

const PORT = Number(process.env.KYC_TEST_PORT_BASE ?? 54000) + 1;
const ASSET = 'BOND-2030';
const OTHER_ASSET = 'EQ-ORG2';

/** Followed blocks as the follower would hand them to the store. */
class FakeFollower {
  private blockNumber = 0n;
  private readonly seqs = new Map<string, number>();
  constructor(private readonly db: LevelDb, private readonly store: RegistryStore) {}

  async apply(changes: LedgerChange[]): Promise<CommittedBlock> {
    const block: CommittedBlock = {
      number: this.blockNumber++,
      writes: [],
      validTransactions: 1,
      invalidTransactions: 0,
      events: [{ txId: `tx${this.blockNumber}`, timestamp: new Date(0).toISOString(), changes }],
    };
    await this.reapply(block);
    return block;
  }

  async reapply(block: CommittedBlock): Promise<void> {
    const batch = this.db.batch();
    await this.store.applyBlock(block, batch);
    await batch.write();
  }

  change(asset: string, op: RegistryOp, address: string): LedgerChange {
    const seq = (this.seqs.get(asset) ?? 0) + 1;
    this.seqs.set(asset, seq);
    return { type: 'RegistryChanged', asset, seq, op, address };
  }
}

// As the ledger stores them: normalised (EIP-55 checksummed for EVM accounts).
const addr = (i: number) => normaliseAccountId(`eip155:1:0x${(i * 7919 + 0xabcdef).toString(16).padStart(40, '0')}`);

describe('rpc-adapter gRPC service (mTLS, in process)', function () {
  this.timeout(60000);
  let serverCa: TestIdentity;
  let org1Ca: TestIdentity;
  let org2Ca: TestIdentity;
  let db: MemoryLevel<string, string>;
  let store: RegistryStore;
  let follower: FakeFollower;
  let server: AdapterServer;
  let links: LinkStore;
  let clock = Date.now();
  const progress = new Map<string, LinkSyncProgress>();
  const Client = adapterService();
  const clients: grpc.Client[] = [];

  function client(ca: TestIdentity, user = 'User1'): grpc.Client & Record<string, Function> {
    const id = issueTestIdentity(ca, `${user}@${ca.certificatePem.length}`);
    const creds = grpc.credentials.createSsl(Buffer.from(serverCa.certificatePem), Buffer.from(id.privateKeyPem), Buffer.from(id.certificatePem));
    const c = new Client(`localhost:${PORT}`, creds) as grpc.Client & Record<string, Function>;
    clients.push(c);
    return c;
  }

  function unary<T>(c: Record<string, Function>, method: string, request: object): Promise<T> {
    return new Promise((resolve, reject) => c[method]!.call(c, request, (e: grpc.ServiceError | null, r: T) => (e ? reject(e) : resolve(r))));
  }

  async function refused(p: Promise<unknown>): Promise<grpc.ServiceError> {
    try {
      await p;
    } catch (error) {
      return error as grpc.ServiceError;
    }
    throw new Error('expected the call to be refused');
  }

  before(async () => {
    serverCa = createTestCa('adapter.example.com');
    org1Ca = createTestCa('org1.example.com');
    org2Ca = createTestCa('org2.example.com');
    const serverId = issueTestIdentity(serverCa, 'localhost', { ou: 'peer' });
    db = new MemoryLevel<string, string>();
    await db.open();
    store = new RegistryStore(db as unknown as LevelDb);
    follower = new FakeFollower(db as unknown as LevelDb, store);
    await follower.apply([
      { type: 'AssetCreated', id: ASSET, issuer: 'Org1MSP' },
      { type: 'AssetCreated', id: OTHER_ASSET, issuer: 'Org2MSP' },
    ]);
    server = await startAdapterServer(
      {
        store,
        links: (links = new LinkStore(db as unknown as LevelDb)),
        syncStatus: { progress: async (linkId) => progress.get(linkId) },
        tokens: new TokenCodec(Buffer.from('test secret'), 60_000, () => clock),
        orgs: new OrgResolver([
          { mspId: 'Org1MSP', caCertsPem: [org1Ca.certificatePem] },
          { mspId: 'Org2MSP', caCertsPem: [org2Ca.certificatePem] },
        ]),
        logger: pino({ level: 'silent' }),
        heartbeatMs: 150,
      },
      { certPem: serverId.certificatePem, keyPem: serverId.privateKeyPem },
      'localhost',
      PORT,
    );
  });

  after(async () => {
    for (const c of clients) c.close();
    await server?.stop(100);
    await db?.close();
  });

  it('lists authenticated addresses in pages with opaque tokens and answers one address', async () => {
    const changes: LedgerChange[] = [];
    for (let i = 0; i < 25; i++) changes.push(follower.change(ASSET, 'authenticate', addr(i)));
    changes.push(follower.change(ASSET, 'revoke', addr(3)), follower.change(ASSET, 'freeze', addr(4)));
    await follower.apply(changes);
    const c = client(org1Ca);
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = await unary<{ addresses: Array<{ address: string; frozen: boolean }>; nextPageToken: string; head: number; resumeToken: string }>(c, 'ListAddresses', {
        asset: ASSET,
        pageSize: 7,
        pageToken: token,
      });
      expect(page.head).to.equal(27);
      expect(page.resumeToken).to.not.equal('');
      seen.push(...page.addresses.map((a) => a.address));
      token = page.nextPageToken;
      pages++;
    } while (token !== '');
    const expected = Array.from({ length: 25 }, (_, i) => addr(i)).filter((a) => a !== addr(3)).sort();
    expect(seen).to.deep.equal(expected);
    expect(pages).to.equal(4);
    const four = await unary<{ authenticated: boolean; frozen: boolean; seq: number }>(c, 'GetAddress', { asset: ASSET, address: addr(4) });
    expect(four).to.include({ authenticated: true, frozen: true, seq: 27 });
    // Any spelling of the address finds the ledger's entry.
    expect(addr(4)).to.not.equal(addr(4).toLowerCase());
    const lower = await unary<{ address: string; frozen: boolean }>(c, 'GetAddress', { asset: ASSET, address: addr(4).toLowerCase() });
    expect(lower).to.include({ address: addr(4), frozen: true });
    const three = await unary<{ authenticated: boolean; seq: number }>(c, 'GetAddress', { asset: ASSET, address: addr(3) });
    expect(three).to.include({ authenticated: false, seq: 26 });

    const bad = await refused(unary(c, 'ListAddresses', { asset: ASSET, pageToken: 'not-a-token' }));
    expect(bad.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(bad.metadata.get(ERROR_CODE_TRAILER)).to.deep.equal(['INVALID_ARGUMENT']);
  });

  it('refuses another org’s asset and a missing asset alike (PERMISSION_DENIED), and bad input with the problems listed', async () => {
    const c = client(org1Ca);
    const other = await refused(unary(c, 'GetAddress', { asset: OTHER_ASSET, address: addr(1) }));
    const missing = await refused(unary(c, 'GetAddress', { asset: 'NO-SUCH', address: addr(1) }));
    expect(other.code).to.equal(grpc.status.PERMISSION_DENIED);
    expect(missing.code).to.equal(grpc.status.PERMISSION_DENIED);
    expect(other.metadata.get(ERROR_CODE_TRAILER)).to.deep.equal(['FORBIDDEN']);
    expect(other.details.replace(OTHER_ASSET, 'X')).to.equal(missing.details.replace('NO-SUCH', 'X'));
    // The asset's own org reads it.
    const ok = await unary<{ authenticated: boolean }>(client(org2Ca), 'GetAddress', { asset: OTHER_ASSET, address: addr(1) });
    expect(ok.authenticated).to.equal(false);
    const bad = await refused(unary(c, 'GetAddress', {}));
    expect(bad.code).to.equal(grpc.status.INVALID_ARGUMENT);
    const problems = JSON.parse(String(bad.metadata.get(ERROR_DETAILS_TRAILER)[0])).problems as Array<{ field: string }>;
    expect(problems.map((p) => p.field)).to.deep.equal(['asset', 'address']);
  });

  it('streams every change exactly once, in order, across random disconnects while blocks arrive', async () => {
    const c = client(org1Ca);
    const head0 = await store.head(ASSET);
    const total = head0 + 300;
    const feeding = (async () => {
      for (let n = 0; n < 60; n++) {
        await follower.apply(Array.from({ length: 5 }, (_, i) => follower.change(ASSET, n % 3 === 0 ? 'freeze' : 'authenticate', addr(1000 + n * 5 + i))));
        await new Promise((r) => setTimeout(r, Math.random() * 8));
      }
    })();
    const received: number[] = [];
    let token = '';
    let reconnects = 0;
    while (received.at(-1) !== total) {
      const quota = 1 + Math.floor(Math.random() * 40);
      await new Promise<void>((resolve, reject) => {
        const call = c.WatchChanges!.call(c, { asset: ASSET, resumeToken: token }) as grpc.ClientReadableStream<WatchChangesResponse>;
        let got = 0;
        call.on('data', (m: WatchChangesResponse) => {
          if (m.event === 'change') received.push(m.change.seq);
          token = m.resumeToken;
          if (++got >= quota || received.at(-1) === total) call.cancel();
        });
        call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? resolve() : reject(e)));
        call.on('end', resolve);
      });
      reconnects++;
    }
    await feeding;
    expect(reconnects).to.be.greaterThan(3);
    expect(received).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('paces a long backlog to a slow reader (flow control) and still sends it all in order', async () => {
    const backlogAsset = 'BACKLOG-1';
    await follower.apply([{ type: 'AssetCreated', id: backlogAsset, issuer: 'Org1MSP' }]);
    for (let n = 0; n < 10; n++) {
      await follower.apply(Array.from({ length: 300 }, (_, i) => follower.change(backlogAsset, 'authenticate', addr(5000 + n * 300 + i))));
    }
    const c = client(org1Ca);
    const seqs: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const call = c.WatchChanges!.call(c, { asset: backlogAsset, resumeToken: '' }) as grpc.ClientReadableStream<WatchChangesResponse>;
      call.on('data', (m: WatchChangesResponse) => {
        if (m.event === 'change') seqs.push(m.change.seq);
        if (seqs.length === 1) {
          // Stop reading long enough for the server's writes to hit the HTTP/2 window.
          call.pause();
          setTimeout(() => call.resume(), 500);
        }
        if (seqs.length === 3000) call.cancel();
      });
      call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? resolve() : reject(e)));
    });
    expect(seqs).to.deep.equal(Array.from({ length: 3000 }, (_, i) => i + 1));
  });

  it('sends heartbeats with a resume token while nothing changes', async () => {
    const c = client(org2Ca);
    const messages: WatchChangesResponse[] = [];
    await new Promise<void>((resolve, reject) => {
      const call = c.WatchChanges!.call(c, { asset: OTHER_ASSET, resumeToken: '' }) as grpc.ClientReadableStream<WatchChangesResponse>;
      call.on('data', (m: WatchChangesResponse) => {
        messages.push(m);
        if (messages.length === 2) call.cancel();
      });
      call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? resolve() : reject(e)));
    });
    expect(messages.map((m) => m.event)).to.deep.equal(['heartbeat', 'heartbeat']);
    expect(messages[0]!.event === 'heartbeat' && messages[0]!.heartbeat.head).to.equal(0);
    expect(messages[1]!.resumeToken).to.be.a('string').and.not.equal('');
  });

  async function watchError(c: Record<string, Function>, request: object): Promise<grpc.ServiceError> {
    return new Promise((resolve, reject) => {
      const call = c.WatchChanges!.call(c, request) as grpc.ClientReadableStream<WatchChangesResponse>;
      call.on('data', () => reject(new Error('expected no message')));
      call.on('error', resolve);
    });
  }

  it('refuses an invalid resume token (INVALID_ARGUMENT) and an expired one (OUT_OF_RANGE, list again)', async () => {
    const c = client(org1Ca);
    const tokens = new TokenCodec(Buffer.from('test secret'), 60_000, () => clock);
    const forged = new TokenCodec(Buffer.from('another secret'), 60_000, () => clock).resumeToken(ASSET, 1);
    expect((await watchError(c, { asset: ASSET, resumeToken: forged })).code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect((await watchError(c, { asset: ASSET, resumeToken: '%%%' })).code).to.equal(grpc.status.INVALID_ARGUMENT);
    const otherAsset = tokens.resumeToken(OTHER_ASSET, 1);
    expect((await watchError(c, { asset: ASSET, resumeToken: otherAsset })).code).to.equal(grpc.status.INVALID_ARGUMENT);

    const old = tokens.resumeToken(ASSET, 1);
    clock += 61_000;
    const expired = await watchError(c, { asset: ASSET, resumeToken: old });
    expect(expired.code).to.equal(grpc.status.OUT_OF_RANGE);
    expect(expired.metadata.get(ERROR_CODE_TRAILER)).to.deep.equal(['RESUME_TOKEN_EXPIRED']);
    expect(expired.details).to.match(/ListAddresses/);
    const ahead = await watchError(c, { asset: ASSET, resumeToken: tokens.resumeToken(ASSET, 1_000_000) });
    expect(ahead.code).to.equal(grpc.status.OUT_OF_RANGE);
  });

  it('links a chain idempotently by request id, and reports its sync status', async () => {
    const c = client(org1Ca);
    const chain = { chainId: 1337, rpcUrl: 'http://127.0.0.1:8545', contractAddress: `0x${'ab'.repeat(20)}`, confirmations: 2 };
    let linkEvents = 0;
    const unsubscribe = links.onLinksChanged(() => linkEvents++);
    const first = await unary<{ linkId: string; org: string; createdAt: string }>(c, 'LinkChain', { requestId: 'r1', asset: ASSET, chain });
    clock += 5_000;
    const again = await unary<{ linkId: string; createdAt: string }>(c, 'LinkChain', { requestId: 'r1', asset: ASSET, chain });
    expect(again).to.deep.equal(first);
    expect(first.org).to.equal('Org1MSP');
    const reused = await refused(unary(c, 'LinkChain', { requestId: 'r1', asset: ASSET, chain: { ...chain, chainId: 7 } }));
    expect(reused.code).to.equal(grpc.status.ALREADY_EXISTS);
    expect(reused.metadata.get(ERROR_CODE_TRAILER)).to.deep.equal(['REQUEST_ID_REUSED']);

    const bad = await refused(unary(c, 'LinkChain', { requestId: 'r2', asset: ASSET, chain: { ...chain, rpcUrl: 'ftp://x', contractAddress: '0x12' } }));
    expect(bad.code).to.equal(grpc.status.INVALID_ARGUMENT);
    const fields = (JSON.parse(String(bad.metadata.get(ERROR_DETAILS_TRAILER)[0])).problems as Array<{ field: string }>).map((p) => p.field);
    expect(fields).to.deep.equal(['chain.rpc_url', 'chain.contract_address']);
    const denied = await refused(unary(c, 'LinkChain', { requestId: 'r3', asset: OTHER_ASSET, chain }));
    expect(denied.code).to.equal(grpc.status.PERMISSION_DENIED);

    const listed = await unary<{ links: Array<{ linkId: string }> }>(c, 'ListLinks', {});
    expect(listed.links.map((l) => l.linkId)).to.deep.equal([first.linkId]);
    expect((await unary<{ links: unknown[] }>(client(org2Ca), 'ListLinks', {})).links).to.deep.equal([]);

    progress.set(first.linkId, { appliedSeq: 20, lastError: 'rpc timeout', updatedAt: '2026-01-01T00:00:00.000Z' });
    const status = await unary<{ appliedSeq: number; ledgerHead: number; lag: number; lastError: string }>(c, 'GetSyncStatus', { linkId: first.linkId });
    const head = await store.head(ASSET);
    expect(status).to.include({ appliedSeq: 20, ledgerHead: head, lag: head - 20, lastError: 'rpc timeout' });
    const notMine = await refused(unary(client(org2Ca), 'GetSyncStatus', { linkId: first.linkId }));
    expect(notMine.code).to.equal(grpc.status.NOT_FOUND);

    const un = await unary<{ linkId: string }>(c, 'UnlinkChain', { requestId: 'u1', linkId: first.linkId });
    expect(await unary(c, 'UnlinkChain', { requestId: 'u1', linkId: first.linkId })).to.deep.equal(un);
    expect((await unary<{ links: unknown[] }>(c, 'ListLinks', {})).links).to.deep.equal([]);
    const gone = await refused(unary(c, 'UnlinkChain', { requestId: 'u2', linkId: first.linkId }));
    expect(gone.code).to.equal(grpc.status.NOT_FOUND);
    expect(linkEvents).to.equal(2); // one link, one unlink; repeats and refusals change nothing
    unsubscribe();
  });

  it('answers grpc.health.v1 and lists its services through reflection', async () => {
    const id = issueTestIdentity(org1Ca, 'Ops');
    const creds = grpc.credentials.createSsl(Buffer.from(serverCa.certificatePem), Buffer.from(id.privateKeyPem), Buffer.from(id.certificatePem));
    const reflectionProto = path.join(path.dirname(require.resolve('@grpc/reflection')), '..', 'proto', 'grpc', 'reflection', 'v1', 'reflection.proto');
    const { protoPath: healthProto } = await import('grpc-health-check');
    const loaded = grpc.loadPackageDefinition(protoLoader.loadSync([reflectionProto, healthProto], { keepCase: false, enums: String, defaults: true, oneofs: true })) as any;
    const health = new loaded.grpc.health.v1.Health(`localhost:${PORT}`, creds);
    const reflection = new loaded.grpc.reflection.v1.ServerReflection(`localhost:${PORT}`, creds);
    clients.push(health, reflection);
    const answer = await unary<{ status: string }>(health, 'Check', { service: ADAPTER_SERVICE_NAME });
    expect(answer.status).to.equal('SERVING');
    const services = await new Promise<string[]>((resolve, reject) => {
      const stream = reflection.ServerReflectionInfo();
      stream.on('data', (m: any) => {
        resolve(m.listServicesResponse.service.map((s: { name: string }) => s.name));
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ listServices: '' });
    });
    expect(services).to.include.members([ADAPTER_SERVICE_NAME, 'grpc.health.v1.Health']);
    // Descriptors as protoc would write them: field names of the .proto, map entries named *Entry
    // (grpcurl refuses a file otherwise).
    const files = await new Promise<Buffer[]>((resolve, reject) => {
      const stream = reflection.ServerReflectionInfo();
      stream.on('data', (m: any) => {
        resolve(m.fileDescriptorResponse.fileDescriptorProto);
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ fileContainingSymbol: 'grpc.health.v1.HealthListResponse' });
    });
    const decoded = files.map((b) => descriptor.FileDescriptorProto.decode(b) as any);
    const list = decoded.flatMap((f) => f.messageType).find((m: any) => m.name === 'HealthListResponse');
    expect(list.nestedType.map((n: any) => n.name)).to.deep.equal(['StatusesEntry']);
    expect(list.field[0].typeName).to.equal('StatusesEntry');
  });

  it('refuses a client whose certificate no member org issued', async () => {
    const strangerCa = createTestCa('stranger.example.com');
    const err = await refused(unary(client(strangerCa), 'ListLinks', {}));
    expect(err.code).to.equal(grpc.status.UNAVAILABLE); // the TLS handshake fails
  });
});
