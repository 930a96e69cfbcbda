import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { run } from './exec';
import { binaryPath, type FabricInstall } from './fabricBinaries';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrg } from './networkConfig';
import { hostPort } from './hosts/hostAddress';

const PROFILE = 'KycLedgerChannel';

const signature = (rule: string) => ({ Type: 'Signature', Rule: rule });
const implicitMeta = (rule: string) => ({ Type: 'ImplicitMeta', Rule: rule });

/**
 * A member org's own policies in configtx.yaml form; shared by the genesis block and by orgs that
 * join later (membership/orgInit.ts), so every member is governed alike.
 */
export function memberOrgPolicies(id: string) {
  return {
    Readers: signature(`OR('${id}.admin', '${id}.peer', '${id}.client')`),
    Writers: signature(`OR('${id}.admin', '${id}.client')`),
    Admins: signature(`OR('${id}.admin')`),
    Endorsement: signature(`OR('${id}.peer')`),
  };
}

function memberOrg(org: ResolvedOrg, layout: NetworkLayout) {
  const id = org.mspId;
  return {
    Name: id,
    ID: id,
    MSPDir: layout.orgMsp(org),
    Policies: memberOrgPolicies(id),
    AnchorPeers: org.peers.slice(0, 1).map((p) => ({ Host: p.host, Port: p.port })),
  };
}

function consensus(net: ResolvedNetwork, layout: NetworkLayout) {
  const nodes = net.ordererOrg.nodes;
  if (net.ordererOrg.consensus === 'raft') {
    return {
      OrdererType: 'etcdraft',
      EtcdRaft: {
        Consenters: nodes.map((n) => ({
          Host: n.host,
          Port: n.port,
          ClientTLSCert: layout.orderer(n).tlsCert,
          ServerTLSCert: layout.orderer(n).tlsCert,
        })),
        Options: { TickInterval: '500ms', ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: '16 MB' },
      },
      BlockValidation: implicitMeta('ANY Writers'),
    };
  }
  return {
    OrdererType: 'BFT',
    ConsenterMapping: nodes.map((n, i) => ({
      ID: i + 1,
      Host: n.host,
      Port: n.port,
      MSPID: net.ordererOrg.mspId,
      Identity: path.join(layout.orderer(n).msp, 'signcerts', `${n.hostname}-cert.pem`),
      ClientTLSCert: layout.orderer(n).tlsCert,
      ServerTLSCert: layout.orderer(n).tlsCert,
    })),
    // No SmartBFT block: configtxgen fills every option from the library's defaults only when the
    // block is absent (a partial one leaves the rest empty and the orderer refuses to join).
    // Fabric 3.1.1's configtxgen knows no ImplicitOrderer policy type; SmartBFT checks block
    // signatures against its consenter set itself.
    BlockValidation: implicitMeta('ANY Writers'),
  };
}

/**
 * The channel's configtx.yaml, rendered from network.yaml. Channel admins act by MAJORITY, and
 * both chaincode lifecycle and endorsement default to a MAJORITY of member orgs' peers, so no
 * single organisation can change the channel or endorse a write alone.
 */
export function renderConfigtx(net: ResolvedNetwork, layout: NetworkLayout): string {
  const ordererId = net.ordererOrg.mspId;
  const ordererOrg = {
    Name: ordererId,
    ID: ordererId,
    MSPDir: layout.ordererOrgMsp,
    Policies: {
      Readers: signature(`OR('${ordererId}.member')`),
      Writers: signature(`OR('${ordererId}.member')`),
      Admins: signature(`OR('${ordererId}.admin')`),
    },
    OrdererEndpoints: net.ordererOrg.nodes.map((n) => hostPort(n.host, n.port)),
  };
  const members = net.orgs.filter((o) => net.channel.members.includes(o.name)).map((o) => memberOrg(o, layout));
  const { BlockValidation, ...orderer } = consensus(net, layout);
  return stringify({
    Profiles: {
      [PROFILE]: {
        Policies: {
          Readers: implicitMeta('ANY Readers'),
          Writers: implicitMeta('ANY Writers'),
          Admins: implicitMeta('MAJORITY Admins'),
        },
        Capabilities: { V3_0: true },
        Orderer: {
          ...orderer,
          BatchTimeout: net.ordererOrg.batchTimeout,
          BatchSize: { MaxMessageCount: net.ordererOrg.maxMessageCount, AbsoluteMaxBytes: '64 MB', PreferredMaxBytes: '4 MB' },
          Organizations: [ordererOrg],
          Policies: {
            Readers: implicitMeta('ANY Readers'),
            Writers: implicitMeta('ANY Writers'),
            Admins: implicitMeta('MAJORITY Admins'),
            BlockValidation,
          },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: members,
          Policies: {
            Readers: implicitMeta('ANY Readers'),
            Writers: implicitMeta('ANY Writers'),
            Admins: implicitMeta('MAJORITY Admins'),
            LifecycleEndorsement: implicitMeta('MAJORITY Endorsement'),
            Endorsement: implicitMeta('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  });
}

/** Writes configtx.yaml and creates the channel's genesis block with configtxgen. */
export async function createGenesisBlock(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall): Promise<string> {
  const dir = path.join(layout.configDir, 'configtx');
  await mkdir(dir, { recursive: true });
  await mkdir(layout.artifactsDir, { recursive: true });
  await writeFile(path.join(dir, 'configtx.yaml'), renderConfigtx(net, layout));
  await run(binaryPath(fabric, 'configtxgen'), ['-profile', PROFILE, '-channelID', net.channel.name, '-outputBlock', layout.genesisBlock], {
    env: { ...process.env, FABRIC_CFG_PATH: dir },
  });
  return layout.genesisBlock;
}
