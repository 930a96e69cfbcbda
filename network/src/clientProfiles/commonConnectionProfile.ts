import type { ConnectionProfile, NodeEndpoint } from './connectionProfile';

function nodeEntry(node: NodeEndpoint): Record<string, unknown> {
  return {
    url: `grpcs://${node.endpoint}`,
    tlsCACerts: { path: node.tlsCaCert },
    grpcOptions: { 'ssl-target-name-override': node.serverName, hostnameOverride: node.serverName },
  };
}

/**
 * The org's Fabric common connection profile (the format the Fabric SDKs, fabric-gateway samples
 * and Caliper's Fabric connector read): the org with its peers and client identities' paths, the
 * channel with its orderers, and how to dial each node over TLS. Only the org's own peers are
 * listed; the Fabric Gateway service on them finds the other orgs' endorsers by discovery.
 */
export function commonConnectionProfile(profile: ConnectionProfile): Record<string, unknown> {
  const admin = profile.identities.find((i) => i.admin);
  return {
    name: `${profile.network}-${profile.org}`,
    version: '1.0.0',
    client: { organization: profile.mspId, connection: { timeout: { peer: { endorser: '300' } } } },
    channels: {
      [profile.channel]: {
        orderers: profile.orderers.map((o) => o.name),
        peers: Object.fromEntries(profile.peers.map((p) => [p.name, { endorsingPeer: true, chaincodeQuery: true, ledgerQuery: true, eventSource: true }])),
      },
    },
    organizations: {
      [profile.mspId]: {
        mspid: profile.mspId,
        peers: profile.peers.map((p) => p.name),
        // The profile format's org admin entry (adminPrivateKey + signedCert both name the admin).
        ...(admin && { adminPrivateKey: { path: admin.privateKey }, signedCert: { path: admin.certificate } }),
      },
    },
    peers: Object.fromEntries(profile.peers.map((p) => [p.name, nodeEntry(p)])),
    orderers: Object.fromEntries(profile.orderers.map((o) => [o.name, nodeEntry(o)])),
    // Not read by Fabric SDKs (the format has no place for them): the chaincode, every client
    // identity (the format names only the admin) and the org's REST gateway.
    'x-kyc-ledger': {
      chaincode: profile.chaincode,
      identities: profile.identities.map((i) => ({ name: i.name, admin: i.admin, certificate: i.certificate, privateKey: i.privateKey })),
      ...(profile.gatewayUrl && { gatewayUrl: profile.gatewayUrl }),
    },
  };
}
