import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { loadNetwork, type FabricInstall } from '@kyc-ledger/network';
import { renderConfigtx } from '@kyc-ledger/network/dist/channelConfig';
import { renderCryptoConfig } from '@kyc-ledger/network/dist/cryptoMaterial';
import { networkLayout } from '@kyc-ledger/network/dist/layout';
import { policyFlags } from '@kyc-ledger/network/dist/lifecycle';
import { BUILDER_DIR, renderOrdererConfig, renderPeerConfig } from '@kyc-ledger/network/dist/nodeConfig';
import { REPO_ROOT } from '../../support/testNetwork';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Fabric's sampleconfig stand-in: the renderers only overlay onto whatever defaults they get. */
const fakeFabric: FabricInstall = { binDir: '/nonexistent', sampleConfigDir: path.join(__dirname, '..', '..', '..', 'unit', 'network', 'fixtures'), external: true, source: 'override' };

describe('rendered Fabric configuration', function () {
  const net = loadNetwork(path.join(REPO_ROOT, 'network.yaml'), { dataDir: '/data/kyc' });
  const layout = networkLayout(net);

  it('channel: MAJORITY of member orgs for admins, lifecycle and endorsement; anchor peers; Raft consenters', function () {
    const profile = (parse(renderConfigtx(net, layout)) as Doc).Profiles.KycLedgerChannel;
    expect(profile.Policies.Admins).to.deep.equal({ Type: 'ImplicitMeta', Rule: 'MAJORITY Admins' });
    expect(profile.Application.Policies.Endorsement).to.deep.equal({ Type: 'ImplicitMeta', Rule: 'MAJORITY Endorsement' });
    expect(profile.Application.Policies.LifecycleEndorsement).to.deep.equal({ Type: 'ImplicitMeta', Rule: 'MAJORITY Endorsement' });
    expect(profile.Application.Organizations.map((o: Doc) => o.ID)).to.deep.equal(['Certifier1MSP', 'Bank1MSP', 'Bank2MSP', 'Issuer1MSP']);
    expect(profile.Application.Organizations[1].AnchorPeers).to.deep.equal([{ Host: '127.0.0.1', Port: 7110 }]);
    expect(profile.Application.Organizations[1].Policies.Endorsement.Rule).to.equal("OR('Bank1MSP.peer')");
    expect(profile.Orderer.OrdererType).to.equal('etcdraft');
    expect(profile.Orderer.EtcdRaft.Consenters.map((c: Doc) => c.Port)).to.deep.equal([7050, 7060, 7070]);
    expect(profile.Capabilities).to.deep.equal({ V3_0: true });
  });

  it('channel (bft): consenter mapping with identities', function () {
    const bft = loadNetwork(path.join(REPO_ROOT, 'network.yaml'), { dataDir: '/data/kyc' });
    bft.ordererOrg.consensus = 'bft';
    const profile = (parse(renderConfigtx(bft, networkLayout(bft))) as Doc).Profiles.KycLedgerChannel;
    expect(profile.Orderer.OrdererType).to.equal('BFT');
    expect(profile.Orderer.ConsenterMapping.map((c: Doc) => c.ID)).to.deep.equal([1, 2, 3]);
    expect(profile.Orderer.ConsenterMapping[0].Identity).to.match(/signcerts\/orderer0\.orderer\.kyc-ledger\.local-cert\.pem$/);
    expect(profile.Orderer.Policies.BlockValidation).to.deep.equal({ Type: 'ImplicitMeta', Rule: 'ANY Writers' });
  });

  it('chaincode definitions use the channel\'s MAJORITY policy by default', function () {
    expect(policyFlags(net)).to.deep.equal(['--channel-config-policy', '/Channel/Application/Endorsement']);
  });

  it('peers: Docker endpoint blanked, our external builder, own ports and data directory', function () {
    const org = net.orgs[1];
    const peer = org?.peers[0];
    if (!org || !peer) throw new Error('bank1 missing');
    const core = parse(renderPeerConfig(net, layout, fakeFabric, org, peer)) as Doc;
    expect(core.vm.endpoint).to.equal('');
    expect(core.chaincode.externalBuilders).to.deep.equal([{ name: 'kyc-node', path: BUILDER_DIR, propagateEnvironment: ['KYC_NODE_BIN', 'HOME', 'KYC_CHAINCODE_CPU_PROFILE'] }]);
    expect(core.peer.listenAddress).to.equal('127.0.0.1:7110');
    expect(core.peer.chaincodeListenAddress).to.equal('127.0.0.1:7111');
    expect(core.operations.listenAddress).to.equal('127.0.0.1:7112');
    expect(core.peer.fileSystemPath).to.equal('/data/kyc/nodes/peer0.bank1/data');
    expect(core.peer.tls.enabled).to.equal(true);
    expect(core.keepFromFabricDefaults).to.equal('yes');
  });

  it('orderers: channel participation with mutual-TLS admin API, no system channel', function () {
    const node = net.ordererOrg.nodes[0];
    if (!node) throw new Error('no orderer');
    const conf = parse(renderOrdererConfig(net, layout, fakeFabric, node)) as Doc;
    expect(conf.ChannelParticipation.Enabled).to.equal(true);
    expect(conf.Admin.ListenAddress).to.equal('127.0.0.1:7051');
    expect(conf.Admin.TLS.ClientAuthRequired).to.equal(true);
    expect(conf.General.ListenPort).to.equal(7050);
    expect(conf.FileLedger.Location).to.equal('/data/kyc/nodes/orderer0/data/ledger');
    expect(conf.keepFromFabricDefaults).to.equal('yes');
  });

  it('crypto: node OUs and loopback SANs for every node', function () {
    const doc = parse(renderCryptoConfig(net)) as Doc;
    expect(doc.OrdererOrgs[0].Specs.map((s: Doc) => s.Hostname)).to.deep.equal(['orderer0', 'orderer1', 'orderer2']);
    expect(doc.PeerOrgs.map((o: Doc) => [o.Domain, o.EnableNodeOUs])).to.deep.equal([
      ['certifier1.kyc-ledger.local', true], ['bank1.kyc-ledger.local', true], ['bank2.kyc-ledger.local', true], ['issuer1.kyc-ledger.local', true],
    ]);
    expect(doc.PeerOrgs[0].Specs[0].SANS).to.deep.equal(['localhost', '127.0.0.1']);
  });
});
