import path from 'node:path';
import { expect } from 'chai';
import { NetworkNodeConfigSchema } from '@kyc-ledger/gateway';
import { allPeers, loadNetwork, networkNodes } from '@kyc-ledger/network';
import { REPO_ROOT } from '../../support/testNetwork';

describe('the nodes a gateway probes (network CLI → gateway config `nodes`)', function () {
  it('lists every peer and orderer with its operations URL, each valid for the gateway\'s schema', function () {
    const net = loadNetwork(path.join(REPO_ROOT, 'network.yaml'), { portBase: 21000 });
    const nodes = networkNodes(net);
    expect(nodes.filter((n) => n.kind === 'peer').map((n) => n.name)).to.deep.equal(allPeers(net).map((p) => p.id));
    expect(nodes.filter((n) => n.kind === 'orderer').map((n) => n.name)).to.deep.equal(net.ordererOrg.nodes.map((o) => o.id));
    for (const peer of allPeers(net)) {
      const node = nodes.find((n) => n.name === peer.id);
      expect(node).to.deep.equal({ name: peer.id, kind: 'peer', org: peer.orgName, operationsUrl: `http://${peer.host}:${peer.operationsPort}` });
    }
    for (const node of nodes) expect(NetworkNodeConfigSchema.safeParse(node).success, node.name).to.equal(true);
  });
});
