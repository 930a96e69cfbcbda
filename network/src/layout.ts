import path from 'node:path';
import type { ResolvedNetwork, ResolvedOrderer, ResolvedOrg, ResolvedPeer } from './networkConfig';

/** Paths of one org's or node's crypto material, as cryptogen lays it out. */
export interface NodeCrypto {
  msp: string;
  tlsCert: string;
  tlsKey: string;
  tlsCa: string;
}

export interface AdminCrypto {
  msp: string;
  /** TLS client certificate and key of the org admin (for osnadmin's mutual TLS). */
  tlsCert: string;
  tlsKey: string;
}

/** Where everything of one network lives on disk; derived from the data directory only. */
export interface NetworkLayout {
  root: string;
  stateFile: string;
  configDir: string;
  cryptoDir: string;
  artifactsDir: string;
  genesisBlock: string;
  /** The private data collections of the chaincode definition (`--collections-config`). */
  collectionsConfig: string;
  nodeDir(id: string): string;
  nodeConfigDir(id: string): string;
  nodeDataDir(id: string): string;
  nodeLog(id: string): string;
  nodePidFile(id: string): string;
  ordererOrgMsp: string;
  ordererTlsCa: string;
  orderer(node: ResolvedOrderer): NodeCrypto;
  ordererAdmin: AdminCrypto;
  orgMsp(org: ResolvedOrg): string;
  orgTlsCa(org: ResolvedOrg): string;
  orgAdmin(org: ResolvedOrg): AdminCrypto;
  orgUser(org: ResolvedOrg): AdminCrypto;
  peer(org: ResolvedOrg, peer: ResolvedPeer): NodeCrypto;
}

export function networkLayout(net: ResolvedNetwork): NetworkLayout {
  const root = net.dataDir;
  const crypto = path.join(root, 'crypto');
  const ordererBase = path.join(crypto, 'ordererOrganizations', net.ordererOrg.domain);
  const orgBase = (org: ResolvedOrg) => path.join(crypto, 'peerOrganizations', org.domain);
  const nodeDir = (id: string) => path.join(root, 'nodes', id);
  const tls = (dir: string, kind: 'server' | 'client') => ({
    tlsCert: path.join(dir, 'tls', `${kind}.crt`),
    tlsKey: path.join(dir, 'tls', `${kind}.key`),
    tlsCa: path.join(dir, 'tls', 'ca.crt'),
  });
  const user = (base: string, domain: string, name: string): AdminCrypto => {
    const dir = path.join(base, 'users', `${name}@${domain}`);
    const { tlsCert, tlsKey } = tls(dir, 'client');
    return { msp: path.join(dir, 'msp'), tlsCert, tlsKey };
  };
  return {
    root,
    stateFile: path.join(root, 'state.json'),
    configDir: path.join(root, 'config'),
    cryptoDir: crypto,
    artifactsDir: path.join(root, 'artifacts'),
    genesisBlock: path.join(root, 'artifacts', `${net.channel.name}.block`),
    collectionsConfig: path.join(root, 'artifacts', 'collections.json'),
    nodeDir,
    nodeConfigDir: (id) => path.join(nodeDir(id), 'config'),
    nodeDataDir: (id) => path.join(nodeDir(id), 'data'),
    nodeLog: (id) => path.join(nodeDir(id), 'node.log'),
    nodePidFile: (id) => path.join(nodeDir(id), 'node.pid'),
    ordererOrgMsp: path.join(ordererBase, 'msp'),
    ordererTlsCa: path.join(ordererBase, 'tlsca', `tlsca.${net.ordererOrg.domain}-cert.pem`),
    orderer: (node) => {
      const dir = path.join(ordererBase, 'orderers', node.hostname);
      return { msp: path.join(dir, 'msp'), ...tls(dir, 'server') };
    },
    ordererAdmin: user(ordererBase, net.ordererOrg.domain, 'Admin'),
    orgMsp: (org) => path.join(orgBase(org), 'msp'),
    orgTlsCa: (org) => path.join(orgBase(org), 'tlsca', `tlsca.${org.domain}-cert.pem`),
    orgAdmin: (org) => user(orgBase(org), org.domain, 'Admin'),
    orgUser: (org) => user(orgBase(org), org.domain, 'User1'),
    peer: (org, peer) => {
      const dir = path.join(orgBase(org), 'peers', peer.hostname);
      return { msp: path.join(dir, 'msp'), ...tls(dir, 'server') };
    },
  };
}
