import { createServer, type Server } from 'node:net';
import { expect } from 'chai';
import { NetworkError } from '@kyc-ledger/network/dist/errors';
import { waitForPort } from '@kyc-ledger/network/dist/portReadiness';

/** A port nothing listens on: bound once by the OS, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function listen(port: number): Promise<Server> {
  const server = createServer((socket) => socket.end());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('start-up port readiness', function () {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  it('waits for a port that opens late', async function () {
    const port = await freePort();
    const started = Date.now();
    setTimeout(() => void listen(port).then((s) => servers.push(s)), 700);
    await waitForPort({ node: 'peer0.bank1', purpose: 'gRPC', host: '127.0.0.1', port }, { timeoutMs: 5000, intervalMs: 50 });
    expect(Date.now() - started).to.be.at.least(650);
  });

  it('ends in PORT_NOT_READY naming the node and port when the port never opens', async function () {
    const port = await freePort();
    const started = Date.now();
    const error = await waitForPort({ node: 'orderer0', purpose: 'admin', host: '127.0.0.1', port }, { timeoutMs: 800, intervalMs: 50 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NetworkError);
    const e = error as NetworkError;
    expect(e.code).to.equal('PORT_NOT_READY');
    expect(e.message).to.contain('orderer0').and.contain('admin').and.contain(`127.0.0.1:${port}`);
    expect(e.details).to.include({ node: 'orderer0', purpose: 'admin', port });
    expect(Date.now() - started).to.be.within(700, 3000);
  });

  it('stops waiting at once when the node process has died', async function () {
    const port = await freePort();
    const error = await waitForPort({ node: 'peer0.bank2', purpose: 'chaincode', host: '127.0.0.1', port }, { timeoutMs: 10_000, stillRunning: () => false }).catch((e: unknown) => e);
    expect((error as NetworkError).code).to.equal('NODE_START_FAILED');
    expect((error as NetworkError).message).to.contain('peer0.bank2');
  });

  it('with TLS, does not count a listener that accepts but never completes a handshake', async function () {
    // Like a Go gRPC server that has bound its port but not started serving: TCP accepts, no TLS.
    const port = await freePort();
    servers.push(await new Promise<Server>((resolve) => {
      const s = createServer(() => undefined);
      s.listen(port, '127.0.0.1', () => resolve(s));
    }));
    const error = await waitForPort(
      { node: 'peer0.bank1', purpose: 'gRPC', host: '127.0.0.1', port, tls: { ca: '' } },
      { timeoutMs: 900, intervalMs: 50, probeTimeoutMs: 300 },
    ).catch((e: unknown) => e);
    expect((error as NetworkError).code).to.equal('PORT_NOT_READY');
    expect((error as NetworkError).details).to.have.property('lastError').that.contains('no answer');
  });
});
