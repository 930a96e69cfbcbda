import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { NetworkError } from '../errors';
import { gatewayEndpoints } from '../gateways';
import { hostPort } from '../hosts/hostAddress';
import type { NetworkLayout } from '../layout';
import type { ResolvedNetwork } from '../networkConfig';

/** One of an org's client identities as cryptogen laid it out in the data directory. */
export interface ClientIdentity {
  /** cryptogen's name for it: `User1` (the org's client user) or `Admin` (the org admin). */
  name: 'User1' | 'Admin';
  admin: boolean;
  /** The signing certificate (PEM) and its private key (PKCS#8 PEM). */
  certificate: string;
  privateKey: string;
  /** The identity's whole MSP folder (what Fabric's own CLI wants as CORE_PEER_MSPCONFIGPATH). */
  msp: string;
}

/** A peer or orderer as a TLS client dials it. */
export interface NodeEndpoint {
  /** The node's name in the crypto material (and the TLS server name its certificate carries). */
  name: string;
  /** `host:port` to dial. */
  endpoint: string;
  /** The CA certificate (PEM file) that issued the node's TLS server certificate. */
  tlsCaCert: string;
  /**
   * The TLS server name to check the node's certificate against (gRPC's
   * `ssl-target-name-override`): the node's name, which its certificate lists whatever address
   * the client dials.
   */
  serverName: string;
}

/** What an outside client needs to connect to the running network as one org. */
export interface ConnectionProfile {
  network: string;
  channel: string;
  chaincode: string;
  org: string;
  mspId: string;
  identities: ClientIdentity[];
  peers: NodeEndpoint[];
  orderers: NodeEndpoint[];
  /** The org's REST gateway (absent for an org that is not a channel member, which runs none). */
  gatewayUrl?: string;
}

/** The one file a cryptogen `signcerts` or `keystore` folder holds. */
function onlyFile(dir: string, what: string): string {
  const name = existsSync(dir) ? readdirSync(dir).sort()[0] : undefined;
  if (!name) {
    throw new NetworkError('NOT_RUNNING', `no ${what} in ${dir}: the network's crypto material is not there yet (run kyc-network up first)`, { details: { dir } });
  }
  return path.join(dir, name);
}

/**
 * The connection details of `orgName` on the network, read from the network file and the data
 * directory's crypto material (which must exist: `up` creates it). Paths are absolute, so the
 * result works from any working directory on this machine.
 */
export function connectionProfile(net: ResolvedNetwork, layout: NetworkLayout, orgName: string): ConnectionProfile {
  const org = net.orgs.find((o) => o.name === orgName);
  if (!org) {
    throw new NetworkError('UNKNOWN_ORG', `no org "${orgName}" (orgs: ${net.orgs.map((o) => o.name).join(', ')})`, { details: { org: orgName } });
  }
  const identity = (name: ClientIdentity['name']): ClientIdentity => {
    const { msp } = name === 'Admin' ? layout.orgAdmin(org) : layout.orgUser(org);
    return {
      name,
      admin: name === 'Admin',
      certificate: onlyFile(path.join(msp, 'signcerts'), `${name} certificate`),
      privateKey: onlyFile(path.join(msp, 'keystore'), `${name} private key`),
      msp,
    };
  };
  const gateway = gatewayEndpoints(net, layout).find((g) => g.org === org.name);
  return {
    network: net.name,
    channel: net.channel.name,
    chaincode: net.chaincode.name,
    org: org.name,
    mspId: org.mspId,
    identities: [identity('User1'), identity('Admin')],
    peers: org.peers.map((p) => ({ name: p.hostname, endpoint: hostPort(p.host, p.port), tlsCaCert: layout.peer(org, p).tlsCa, serverName: p.hostname })),
    orderers: net.ordererOrg.nodes.map((o) => ({ name: o.hostname, endpoint: hostPort(o.host, o.port), tlsCaCert: layout.ordererTlsCa, serverName: o.hostname })),
    ...(gateway && { gatewayUrl: gateway.url }),
  };
}
