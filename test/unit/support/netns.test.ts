import { execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { expect } from 'chai';
import { canCreateNetns, createNetns, type Netns } from '../../support/netns';

/** A node one-liner that connects to host:port, sends "ping" and prints the answer. */
const CLIENT = `
const s = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
s.setTimeout(3000, () => { console.log('timeout'); process.exit(3); });
s.on('error', (e) => { console.log('error ' + e.code); process.exit(2); });
s.on('connect', () => s.write('ping'));
s.on('data', (d) => { console.log(String(d)); s.end(); });`;

/** A node one-liner that listens on host:port and answers "pong from <its address>". */
const SERVER = `
const srv = require('node:net').createServer((c) => c.on('data', () => c.end('pong from ' + c.localAddress)));
srv.listen(Number(process.argv[2]), process.argv[1], () => console.log('listening'));`;

function echoServer(host: string): Promise<Server> {
  const server = createServer((c) => c.on('data', () => c.end(`pong from ${c.localAddress}`)));
  return new Promise((resolve) => server.listen(0, host, () => resolve(server)));
}

function ask(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let answer = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(3000, () => fail(new Error('timeout')));
    socket.on('connect', () => socket.write('ping'));
    socket.on('data', (d) => (answer += String(d)));
    socket.on('end', () => {
      socket.destroy();
      resolve(answer);
    });
    socket.on('error', fail);
  });
}

describe('test support: network namespaces (netns.ts)', function () {
  let ns: Netns | undefined;
  let inside: ChildProcess | undefined;
  const servers: Server[] = [];

  before(function () {
    if (!canCreateNetns()) this.skip();
  });

  after(async function () {
    for (const s of servers) s.close();
    await ns?.delete();
  });

  it('gives the namespace its own address on a veth pair, reachable both ways', async function () {
    ns = await createNetns('kyc-netns-unit', 212);
    expect(ns).to.include({ hostAddress: '10.212.0.1', nsAddress: '10.212.0.2' });
    const addresses = (await ns.run('ip', ['-o', '-4', 'addr', 'show'])).stdout;
    expect(addresses).to.contain('10.212.0.2/24').and.to.contain('127.0.0.1/8');
    expect(addresses).to.not.contain('10.212.0.1/24');

    // Inside → host side address.
    const onHost = await echoServer(ns.hostAddress);
    servers.push(onHost);
    const { stdout } = await ns.run(process.execPath, ['-e', CLIENT, ns.hostAddress, String((onHost.address() as AddressInfo).port)]);
    expect(stdout.trim()).to.equal('pong from 10.212.0.1');

    // Host → a server started inside on the namespace's address.
    inside = ns.spawn(process.execPath, ['-e', SERVER, ns.nsAddress, '18999'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(inside.stdout!, 'data');
    expect(await ask(ns.nsAddress, 18999)).to.equal('pong from 10.212.0.2');
  });

  it('isolates loopback: inside, 127.0.0.1 is the namespace\'s own, not the host\'s', async function () {
    if (!ns) this.skip();
    const onLoopback = await echoServer('127.0.0.1');
    servers.push(onLoopback);
    const port = String((onLoopback.address() as AddressInfo).port);
    const failure = await ns.run(process.execPath, ['-e', CLIENT, '127.0.0.1', port]).then(() => undefined, (error: Error) => error);
    expect(failure?.message).to.match(/error ECONNREFUSED/);
  });

  it('deletes the namespace, the veth pair and what ran inside, also when called twice', async function () {
    if (!ns) this.skip();
    const pids = execFileSync('ip', ['netns', 'pids', ns.name], { encoding: 'utf8' }).split('\n').filter((l) => l.trim());
    expect(pids, 'the server started inside').to.have.length.greaterThan(0);
    const exited = once(inside!, 'exit');
    await ns.delete();
    await ns.delete();
    expect(await exited).to.deep.equal([null, 'SIGKILL']);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).to.not.contain(ns.name);
    expect(() => execFileSync('ip', ['link', 'show', 'kyc212h'], { stdio: 'ignore' })).to.throw();
    await expectUnreachable(ns.nsAddress, 18999);
  });

  it('removes a namespace whose creator crashed before deleting it (exit hook)', async function () {
    if (!canCreateNetns()) this.skip();
    const script = `require(${JSON.stringify(require.resolve('../../support/netns'))}).createNetns('kyc-netns-crash', 213).then(() => { throw new Error('test failed'); });`;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr, 'the child crashed').to.contain('test failed');
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).to.not.contain('kyc-netns-crash');
    expect(() => execFileSync('ip', ['link', 'show', 'kyc213h'], { stdio: 'ignore' })).to.throw();
  });
});

/** After the namespace is gone its address answers nothing (refused or no route or no answer). */
async function expectUnreachable(host: string, port: number): Promise<void> {
  const failure = await ask(host, port).then(() => undefined, (error: Error) => error);
  expect(failure, `${host}:${port} still answers`).to.be.instanceOf(Error);
}
