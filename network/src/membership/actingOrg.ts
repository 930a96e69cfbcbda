import type { FabricInstall } from '../fabricBinaries';
import { ordererFlags, peerCliEnv } from '../fabricCli';
import type { NetworkLayout } from '../layout';
import type { ResolvedNetwork } from '../networkConfig';
import { NetworkError } from '../errors';

/**
 * The one org a run of the tool acts as: its admin's MSP (its own key, nobody else's) and the
 * orderer it talks to. Every membership command takes exactly one of these.
 */
export interface ActingOrg {
  name: string;
  mspId: string;
  /** The admin's MSP directory (signcerts + keystore). */
  adminMsp: string;
  /** Environment for Fabric's peer CLI acting as this admin. */
  peerEnv: NodeJS.ProcessEnv;
  /** `-o host:port --tls --cafile …` for the orderer this org uses. */
  ordererFlags: string[];
  channel: string;
}

/** An org of the network file whose material is in the network's data directory. */
export function networkActingOrg(net: ResolvedNetwork, layout: NetworkLayout, fabric: FabricInstall, orgName: string): ActingOrg {
  const org = net.orgs.find((o) => o.name === orgName || o.mspId === orgName);
  const peer = org?.peers[0];
  if (!org || !peer) {
    throw new NetworkError('UNKNOWN_NODE', `no org "${orgName}" in network ${net.name} (orgs: ${net.orgs.map((o) => o.name).join(', ')})`);
  }
  return {
    name: org.name,
    mspId: org.mspId,
    adminMsp: layout.orgAdmin(org).msp,
    peerEnv: peerCliEnv(layout, org, peer, fabric),
    ordererFlags: ordererFlags(net, layout),
    channel: net.channel.name,
  };
}
