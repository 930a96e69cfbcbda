import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { ConfigError, gatewayEndpoints, hostPort, isLocalHost, resolveNetwork, type FabricInstall } from '@kyc-ledger/network';
import { renderConfigtx } from '@kyc-ledger/network/dist/channelConfig';
import { renderCryptoConfig } from '@kyc-ledger/network/dist/cryptoMaterial';
import { peerCliEnv, ordererFlags } from '@kyc-ledger/network/dist/fabricCli';
import { networkLayout } from '@kyc-ledger/network/dist/layout';
import { renderOrdererConfig, renderPeerConfig } from '@kyc-ledger/network/dist/nodeConfig';
import { REPO_ROOT } from '../../support/testNetwork';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const defaultFile = path.join(REPO_ROOT, 'network.yaml');
const fakeFabric: FabricInstall = { binDir: '/bin', sampleConfigDir: path.join(__dirname, '..', '..', '..', 'unit', 'network', 'fixtures'), external: true, source: 'override' };

/** The default network with the orderers on 10.211.0.1, bank2 on 10.211.0.2 and certifier1's peer named by host. */
function twoHostDoc(): Doc {
  const doc = parse(readFileSync(defaultFile, 'utf8')) as Doc;
  doc.ordererOrg.host = '10.211.0.1';
  doc.orgs = (doc.orgs as Doc[]).map((o) => (o.name === 'bank2' ? { ...o, host: '10.211.0.2' } : o.name === 'certifier1' ? { ...o, peers: [{ name: 'peer0', host: 'certifier.example.org' }] } : o));
  return doc;
}

function problemsOf(document: unknown): string[] {
  try {
    resolveNetwork(document, defaultFile);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('network hosts (network.yaml host)', function () {
  const net = resolveNetwork(twoHostDoc(), defaultFile, { dataDir: '/data/kyc' });
  const layout = networkLayout(net);
  const bank2 = net.orgs.find((o) => o.name === 'bank2')!;
  const bank1 = net.orgs.find((o) => o.name === 'bank1')!;

  it('defaults every node to 127.0.0.1; an org\'s host applies to its peers, a peer\'s own host wins', function () {
    expect(bank1.host).to.equal('127.0.0.1');
    expect(bank1.peers[0]?.host).to.equal('127.0.0.1');
    expect(bank2.peers[0]?.host).to.equal('10.211.0.2');
    expect(net.orgs[0]?.host).to.equal('127.0.0.1');
    expect(net.orgs[0]?.peers[0]?.host).to.equal('certifier.example.org');
    expect(net.ordererOrg.nodes.map((n) => n.host)).to.deep.equal(['10.211.0.1', '10.211.0.1', '10.211.0.1']);
  });

  it('peers and orderers listen on and advertise their own host', function () {
    const peer = bank2.peers[0]!;
    const core = parse(renderPeerConfig(net, layout, fakeFabric, bank2, peer)) as Doc;
    expect(core.peer.listenAddress).to.equal(`10.211.0.2:${peer.port}`);
    expect(core.peer.address).to.equal(`10.211.0.2:${peer.port}`);
    expect(core.peer.gossip.externalEndpoint).to.equal(`10.211.0.2:${peer.port}`);
    expect(core.peer.chaincodeListenAddress).to.equal(`10.211.0.2:${peer.chaincodePort}`);
    expect(core.operations.listenAddress).to.equal(`10.211.0.2:${peer.operationsPort}`);
    const node = net.ordererOrg.nodes[0]!;
    const orderer = parse(renderOrdererConfig(net, layout, fakeFabric, node)) as Doc;
    expect(orderer.General.ListenAddress).to.equal('10.211.0.1');
    expect(orderer.Admin.ListenAddress).to.equal(`10.211.0.1:${node.adminPort}`);
    expect(orderer.Operations.ListenAddress).to.equal(`10.211.0.1:${node.operationsPort}`);
  });

  it('the channel config names orderer endpoints, consenters and anchor peers by host', function () {
    const profile = (parse(renderConfigtx(net, layout)) as Doc).Profiles.KycLedgerChannel;
    expect(profile.Orderer.Organizations[0].OrdererEndpoints).to.deep.equal(net.ordererOrg.nodes.map((n) => `10.211.0.1:${n.port}`));
    expect(profile.Orderer.EtcdRaft.Consenters.map((c: Doc) => c.Host)).to.deep.equal(['10.211.0.1', '10.211.0.1', '10.211.0.1']);
    const anchors = (profile.Application.Organizations as Doc[]).find((o) => o.ID === 'Bank2MSP')?.AnchorPeers;
    expect(anchors).to.deep.equal([{ Host: '10.211.0.2', Port: bank2.peers[0]!.port }]);
  });

  it('TLS certificates name the node\'s host beside loopback', function () {
    const crypto = parse(renderCryptoConfig(net)) as Doc;
    expect(crypto.OrdererOrgs[0].Specs[0].SANS).to.deep.equal(['localhost', '127.0.0.1', '10.211.0.1']);
    const peerOrg = (name: string) => (crypto.PeerOrgs as Doc[]).find((o) => o.Name === name);
    expect(peerOrg('bank2')?.Specs[0].SANS).to.deep.equal(['localhost', '127.0.0.1', '10.211.0.2']);
    expect(peerOrg('bank1')?.Specs[0].SANS).to.deep.equal(['localhost', '127.0.0.1']);
    expect(peerOrg('certifier1')?.Specs[0].SANS).to.deep.equal(['localhost', '127.0.0.1', 'certifier.example.org']);
  });

  it('tools and gateways dial the host: peer CLI, orderer flags, gateway endpoint', function () {
    const peer = bank2.peers[0]!;
    expect(peerCliEnv(layout, bank2, peer, fakeFabric).CORE_PEER_ADDRESS).to.equal(`10.211.0.2:${peer.port}`);
    expect(ordererFlags(net, layout).slice(0, 2)).to.deep.equal(['-o', `10.211.0.1:${net.ordererOrg.nodes[0]!.port}`]);
    const gateway = gatewayEndpoints(net, layout).find((g) => g.org === 'bank2');
    expect(gateway).to.include({ host: '10.211.0.2', url: `http://10.211.0.2:${gateway?.port}` });
  });

  it('the same port on two hosts is fine; twice on one host:port is a problem', function () {
    const doc = twoHostDoc();
    // bank2 (10.211.0.2) takes bank1's (127.0.0.1) port numbers.
    doc.orgs = (doc.orgs as Doc[]).map((o) => (o.name === 'bank2' ? { ...o, peers: [{ name: 'peer0', port: 7110, chaincodePort: 7111, operationsPort: 7112 }] } : o));
    expect(() => resolveNetwork(doc, defaultFile)).to.not.throw();
    doc.orgs = (doc.orgs as Doc[]).map((o) => (o.name === 'bank2' ? { ...o, host: '127.0.0.1' } : o));
    expect(problemsOf(doc)).to.deep.equal([
      'port 7110 on 127.0.0.1 is used more than once: peer0.bank1.port, peer0.bank2.port',
      'port 7111 on 127.0.0.1 is used more than once: peer0.bank1.chaincodePort, peer0.bank2.chaincodePort',
      'port 7112 on 127.0.0.1 is used more than once: peer0.bank1.operationsPort, peer0.bank2.operationsPort',
    ]);
  });

  it('lists every host that is neither an IP address nor a host name, and refuses the unspecified address', function () {
    const doc = twoHostDoc();
    doc.ordererOrg.host = '0.0.0.0';
    doc.orgs = (doc.orgs as Doc[]).map((o) => (o.name === 'bank1' ? { ...o, host: 'bank one' } : o.name === 'issuer1' ? { ...o, host: '10.211.0.300', peers: [{ name: 'peer0', host: '::' }] } : o));
    const problems = problemsOf(doc);
    expect(problems).to.have.length(4);
    expect(problems).to.include.members([
      'ordererOrg.host: must be an address other nodes can dial, not the unspecified address (0.0.0.0 or ::)',
      'orgs[1].host: must be an IPv4 or IPv6 address or a DNS host name',
      'orgs[3].host: must be an IPv4 or IPv6 address or a DNS host name',
      'orgs[3].peers[0].host: must be an address other nodes can dial, not the unspecified address (0.0.0.0 or ::)',
    ]);
  });

  it('writes IPv6 addresses in brackets', function () {
    expect(hostPort('fd00::2', 7110)).to.equal('[fd00::2]:7110');
    expect(hostPort('10.211.0.2', 7110)).to.equal('10.211.0.2:7110');
    expect(hostPort('peer0.example.org', 7110)).to.equal('peer0.example.org:7110');
  });

  it('knows loopback and this machine\'s interface addresses as local, others not', async function () {
    expect(await isLocalHost('127.0.0.1')).to.equal(true);
    expect(await isLocalHost('localhost')).to.equal(true);
    expect(await isLocalHost('192.0.2.254')).to.equal(false);
    expect(await isLocalHost('no-such-host.invalid')).to.equal(false);
  });
});
