import type { ConnectionProfile } from './connectionProfile';

/**
 * Hyperledger Caliper's network configuration (format version "2.0.0", read by its Fabric
 * connector, 0.6.0) for one or more orgs of the same network: the channel and chaincode, and per
 * org its client identities (`identities.certificates`, the admin flagged) and where its common
 * connection profile is (`connectionProfiles[mspId]`, written from
 * {@link commonConnectionProfile}). Workloads then name `invokerMspId` and `invokerIdentity`
 * (`User1` or `Admin`).
 */
export function caliperNetworkConfig(profiles: readonly ConnectionProfile[], connectionProfiles: Readonly<Record<string, string>>): Record<string, unknown> {
  const first = profiles[0];
  if (!first) throw new Error('a Caliper network configuration needs at least one org');
  const other = profiles.find((p) => p.network !== first.network || p.channel !== first.channel);
  if (other) throw new Error(`orgs of different networks or channels: ${first.org} on ${first.network}/${first.channel}, ${other.org} on ${other.network}/${other.channel}`);
  return {
    name: `${first.network}-caliper`,
    version: '2.0.0',
    caliper: { blockchain: 'fabric' },
    channels: [{ channelName: first.channel, contracts: [{ id: first.chaincode }] }],
    organizations: profiles.map((p) => {
      const ccp = connectionProfiles[p.mspId];
      if (!ccp) throw new Error(`no connection profile path for ${p.mspId}`);
      return {
        mspid: p.mspId,
        identities: {
          certificates: p.identities.map((i) => ({
            name: i.name,
            ...(i.admin && { admin: true }),
            clientPrivateKey: { path: i.privateKey },
            clientSignedCert: { path: i.certificate },
          })),
        },
        // discover: the peer's Fabric Gateway finds the other orgs' endorsers itself.
        connectionProfile: { path: ccp, discover: true },
      };
    }),
  };
}
