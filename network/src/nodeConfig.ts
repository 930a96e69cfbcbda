import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { FabricInstall } from './fabricBinaries';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork, ResolvedOrderer, ResolvedOrg, ResolvedPeer } from './networkConfig';
import { hostPort } from './hosts/hostAddress';

/** The external chaincode builder (detect/build/release/run) shipped in this package. */
export const BUILDER_DIR = path.resolve(__dirname, '..', 'builder');
/** The metadata.json `type` our builder accepts. */
export const CHAINCODE_TYPE = 'kyc-node';

type Yaml = Record<string, unknown>;

/** Sets `value` at a dotted path, creating objects on the way; the overlay on Fabric's defaults. */
function set(doc: Yaml, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node: Yaml = doc;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') node[key] = {};
    node = node[key] as Yaml;
  }
  node[keys[keys.length - 1] as string] = value;
}

function overlay(base: Yaml, settings: Record<string, unknown>): Yaml {
  for (const [key, value] of Object.entries(settings)) set(base, key, value);
  return base;
}

function fabricDefaults(fabric: FabricInstall, file: 'core.yaml' | 'orderer.yaml'): Yaml {
  return parse(readFileSync(path.join(fabric.sampleConfigDir, file), 'utf8')) as Yaml;
}

/** core.yaml for one peer: Fabric's own defaults of our version, with the project's settings over them. */
export function renderPeerConfig(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall, org: ResolvedOrg, peer: ResolvedPeer): string {
  const crypto = layout.peer(org, peer);
  const address = hostPort(peer.host, peer.port);
  const chaincodeAddress = hostPort(peer.host, peer.chaincodePort);
  const data = layout.nodeDataDir(peer.id);
  return stringify(
    overlay(fabricDefaults(fabric, 'core.yaml'), {
      'peer.id': peer.hostname,
      'peer.networkId': net.name,
      'peer.listenAddress': address,
      'peer.address': address,
      'peer.chaincodeListenAddress': chaincodeAddress,
      'peer.chaincodeAddress': chaincodeAddress,
      'peer.gateway.enabled': true,
      // Fabric's default lets clients ping no more often than every 60 s, exactly the interval its
      // own peer-to-peer clients ping at; under load (long bulk endorsements) jitter makes that
      // "too_many_pings" and the gateway loses its endorsers. Be lenient towards our own nodes.
      'peer.keepalive.minInterval': '10s',
      'peer.gossip.bootstrap': address,
      'peer.gossip.endpoint': address,
      'peer.gossip.externalEndpoint': address,
      'peer.tls.enabled': true,
      'peer.tls.cert.file': crypto.tlsCert,
      'peer.tls.key.file': crypto.tlsKey,
      'peer.tls.rootcert.file': crypto.tlsCa,
      'peer.fileSystemPath': data,
      'peer.mspConfigPath': crypto.msp,
      'peer.localMspId': org.mspId,
      'ledger.snapshots.rootDir': path.join(data, 'snapshots'),
      'operations.listenAddress': hostPort(peer.host, peer.operationsPort),
      'metrics.provider': 'prometheus',
      // No Docker: chaincode is built and launched by our external builder only.
      'vm.endpoint': '',
      'chaincode.externalBuilders': [
        { name: CHAINCODE_TYPE, path: BUILDER_DIR, propagateEnvironment: ['KYC_NODE_BIN', 'HOME', 'KYC_CHAINCODE_CPU_PROFILE'] },
      ],
      'chaincode.startuptimeout': '120s',
      'chaincode.logging.level': net.logLevel,
    }),
  );
}

/** orderer.yaml for one orderer node. */
export function renderOrdererConfig(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall, node: ResolvedOrderer): string {
  const crypto = layout.orderer(node);
  const data = layout.nodeDataDir(node.id);
  return stringify(
    overlay(fabricDefaults(fabric, 'orderer.yaml'), {
      'General.ListenAddress': node.host,
      'General.ListenPort': node.port,
      'General.Keepalive.ServerMinInterval': '10s',
      'General.TLS.Enabled': true,
      'General.TLS.PrivateKey': crypto.tlsKey,
      'General.TLS.Certificate': crypto.tlsCert,
      'General.TLS.RootCAs': [crypto.tlsCa],
      'General.TLS.ClientAuthRequired': false,
      // The cluster (Raft/BFT) service shares the main listener; nodes authenticate with their TLS pair.
      'General.Cluster.ClientCertificate': crypto.tlsCert,
      'General.Cluster.ClientPrivateKey': crypto.tlsKey,
      'General.LocalMSPDir': crypto.msp,
      'General.LocalMSPID': net.ordererOrg.mspId,
      'FileLedger.Location': path.join(data, 'ledger'),
      'Consensus.WALDir': path.join(data, 'consensus', 'wal'),
      'Consensus.SnapDir': path.join(data, 'consensus', 'snapshot'),
      'Operations.ListenAddress': hostPort(node.host, node.operationsPort),
      'Metrics.Provider': 'prometheus',
      'Admin.ListenAddress': hostPort(node.host, node.adminPort),
      'Admin.TLS.Enabled': true,
      'Admin.TLS.Certificate': crypto.tlsCert,
      'Admin.TLS.PrivateKey': crypto.tlsKey,
      'Admin.TLS.ClientAuthRequired': true,
      'Admin.TLS.ClientRootCAs': [layout.ordererTlsCa],
      'ChannelParticipation.Enabled': true,
    }),
  );
}

/**
 * Writes every node's configuration file (re-rendered on each start so edits to network.yaml
 * apply); with `only`, just the nodes it accepts (`up --org` touches no other org's node).
 */
export async function writeNodeConfigs(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall, only: (id: string) => boolean = () => true): Promise<void> {
  for (const node of net.ordererOrg.nodes.filter((n) => only(n.id))) {
    const dir = layout.nodeConfigDir(node.id);
    await mkdir(dir, { recursive: true });
    await mkdir(layout.nodeDataDir(node.id), { recursive: true });
    await writeFile(path.join(dir, 'orderer.yaml'), renderOrdererConfig(net, layout, fabric, node));
  }
  for (const org of net.orgs) {
    for (const peer of org.peers.filter((p) => only(p.id))) {
      const dir = layout.nodeConfigDir(peer.id);
      await mkdir(dir, { recursive: true });
      await mkdir(layout.nodeDataDir(peer.id), { recursive: true });
      await writeFile(path.join(dir, 'core.yaml'), renderPeerConfig(net, layout, fabric, org, peer));
    }
  }
}
