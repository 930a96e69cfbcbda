import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { createNetwork, loadNetwork, type Network, type UpOrgsResult } from '@kyc-ledger/network';
import { connectAs } from '../support/gatewayClient';
import { canCreateNetns, createNetns, type Netns } from '../support/netns';
import { eventually, REPO_ROOT, testProgress } from '../support/testNetwork';

const CLI = path.join(REPO_ROOT, 'network', 'dist', 'cli.js');
/** 10.211.0.0/24: no route of this machine's uses it (createNetns refuses a routed subnet). */
const SUBNET = 211;

/**
 * What a TCP connection to host:port made from inside `ns` gets: 'accepts', or the socket error's
 * code (ECONNREFUSED when nothing listens there), or 'timeout'.
 */
async function probeInNamespace(ns: Netns, host: string, port: number): Promise<string> {
  const script = `const s = require('node:net').connect({ host: ${JSON.stringify(host)}, port: ${port} });
s.setTimeout(2000, () => { console.log('timeout'); s.destroy(); });
s.once('connect', () => { console.log('accepts'); s.destroy(); });
s.once('error', (e) => console.log(e.code ?? e.message));`;
  const { stdout } = await ns.run(process.execPath, ['-e', script], { timeoutMs: 10_000 });
  return stdout.trim();
}

/**
 * The default consortium on two machines: the orderer org, certifier1, bank1 and issuer1 on this
 * machine's end of a veth pair, bank2 inside a network namespace with its own address, started
 * there with `kyc-network up --org bank2` as a member would on its own machine.
 */
describe('nodes on their own hosts: bank2 in its own network namespace (up --org)', function () {
  this.timeout(20 * 60_000);
  let ns: Netns | undefined;
  let network: Network | undefined;
  let dataDir = '';
  let networkFile = '';

  /** `kyc-network up --org bank2` run inside the namespace, its --json result parsed. */
  async function upBank2(): Promise<UpOrgsResult> {
    if (!ns) throw new Error('no namespace');
    const { stdout } = await ns.run(process.execPath, [CLI, '-f', networkFile, '--json', 'up', '--org', 'bank2'], { cwd: REPO_ROOT });
    return JSON.parse(stdout) as UpOrgsResult;
  }

  before(async function () {
    if (!canCreateNetns()) this.skip();
    ns = await createNetns('kyc-hosts-it', SUBNET);
    dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-hosts-'));
    const doc = parse(readFileSync(path.join(REPO_ROOT, 'network.yaml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    doc.name = 'kyc-test-hosts';
    doc.dataDir = dataDir;
    doc.ports = { base: Number(process.env.KYC_TEST_PORT_BASE ?? 18000) };
    doc.chaincode.path = path.join(REPO_ROOT, 'chaincode');
    doc.ordererOrg.host = ns.hostAddress;
    doc.orgs = (doc.orgs as { name: string }[]).map((o) => ({ ...o, host: o.name === 'bank2' ? ns!.nsAddress : ns!.hostAddress }));
    // No institution chain: this test is about where Fabric nodes and gateways run.
    doc.privateChains = [];
    networkFile = path.join(dataDir, 'network.yaml');
    writeFileSync(networkFile, stringify(doc));
    network = createNetwork(loadNetwork(networkFile));
  });

  after(async function () {
    // Stops bank2's processes too: they are recorded in the same data dir (and run in this PID namespace).
    if (network) await network.down().catch(() => undefined);
    await ns?.delete();
    if (dataDir && !process.env.KYC_TEST_KEEP) await rm(dataDir, { recursive: true, force: true });
  });

  it('up --org on this machine starts only the named orgs\' nodes; bank2\'s is left to its own host', async function () {
    const result = await network!.upOrgs(['orderer', 'certifier1', 'bank1', 'issuer1'], testProgress());
    expect(result.started).to.have.members(['orderer0', 'orderer1', 'orderer2', 'peer0.certifier1', 'peer0.bank1', 'peer0.issuer1']);
    expect(result.skipped.map((s) => s.step)).to.include('REST gateways and RPC adapter');
    const bank2Peer = result.status.nodes.find((n) => n.id === 'peer0.bank2');
    expect(bank2Peer).to.include({ running: false, address: `${ns!.nsAddress}:${network!.config.orgs[2]!.peers[0]!.port}` });
  });

  it('refuses to start bank2 here: its address is not this machine\'s', async function () {
    const failure = await network!.upOrgs(['bank2']).then(() => undefined, (error: Error & { code?: string }) => error);
    expect(failure).to.have.property('code', 'NODE_NOT_LOCAL');
    expect(failure?.message).to.contain(`peer0.bank2 (${ns!.nsAddress})`);
  });

  it('bank2 starts inside its namespace with `up --org bank2` and joins the channel', async function () {
    const result = await upBank2();
    expect(result.started).to.deep.equal(['peer0.bank2']);
    expect(result.skipped.map((s) => s.step)).to.include('REST gateways and RPC adapter');
  });

  it('a full `up` from this machine deploys the chaincode on every peer, bank2\'s included, without starting bank2 here', async function () {
    const result = await network!.up(testProgress());
    expect(result.chaincode.action).to.equal('deployed');
    const gateway = result.status.nodes.find((n) => n.id === 'gateway.bank2');
    expect(gateway, 'bank2\'s gateway is its own host\'s to start').to.include({ running: false });
  });

  it('bank2\'s second `up --org bank2` starts its gateway on its own address, ready from this machine', async function () {
    const result = await upBank2();
    expect(result.started).to.deep.equal([]);
    const gateway = result.gateways.find((g) => g.org === 'bank2');
    expect(gateway?.url).to.equal(`http://${ns!.nsAddress}:${gateway?.port}`);
    const ready = await fetch(`${gateway!.url}/readyz`);
    expect(ready.status).to.equal(200);
  });

  it('every node is healthy and at one channel height, seen from this machine', async function () {
    await eventually(async () => {
      const status = await network!.status();
      for (const node of status.nodes.filter((n) => n.kind !== 'gateway')) expect(node, node.id).to.include({ running: true, healthy: true });
      const heights = new Set(status.nodes.filter((n) => n.kind === 'peer' || n.kind === 'orderer').map((n) => n.height));
      expect(heights.size, JSON.stringify(status.nodes.map((n) => [n.id, n.height]))).to.equal(1);
    }, 60_000, 1000);
  });

  it('commits a write that bank2\'s peer endorsed (through bank2\'s peer on its own address)', async function () {
    const bank2 = connectAs(network!, 'bank2', 'admin');
    try {
      const proposal = bank2.contract.newProposal('probe:put', { arguments: ['from-bank2-host', 'endorsed-across-hosts'], endorsingOrganizations: ['Bank2MSP', 'Bank1MSP', 'Issuer1MSP'] });
      const commit = await (await proposal.endorse()).submit();
      expect((await commit.getStatus()).successful).to.equal(true);
    } finally {
      bank2.close();
    }
    const bank1 = connectAs(network!, 'bank1');
    try {
      const record = JSON.parse(Buffer.from(await bank1.contract.evaluateTransaction('probe:get', 'Bank2MSP', 'from-bank2-host')).toString()) as Record<string, string>;
      expect(record).to.include({ value: 'endorsed-across-hosts', writerMspId: 'Bank2MSP' });
    } finally {
      bank1.close();
    }
  });

  it('nothing of bank2 listens on its host\'s loopback: its peer is only at its own address', async function () {
    const peer = network!.config.orgs.find((o) => o.name === 'bank2')!.peers[0]!;
    // Probed from inside bank2's namespace, whose loopback is bank2's own (this machine's cannot reach it).
    expect(await probeInNamespace(ns!, ns!.nsAddress, peer.port), `${ns!.nsAddress}:${peer.port} inside the namespace`).to.equal('accepts');
    expect(await probeInNamespace(ns!, '127.0.0.1', peer.port), `127.0.0.1:${peer.port} inside the namespace`).to.equal('ECONNREFUSED');
  });

  it('down --org bank2 stops only bank2\'s nodes', async function () {
    await network!.down(testProgress(), ['bank2']);
    const status = await network!.status();
    const running = status.nodes.filter((n) => n.running).map((n) => n.id);
    // Each on its own: not.include.members passes when only one of them is stopped.
    expect(running).to.not.include('peer0.bank2');
    expect(running).to.not.include('gateway.bank2');
    expect(running).to.include.members(['orderer0', 'peer0.bank1', 'gateway.bank1']);
  });
});
