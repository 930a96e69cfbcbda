import { createHash } from 'node:crypto';
// The module itself rather than the package index, which would load fabric-shim into the CLI.
import { investorCollection, issuerCollection } from '@kyc-ledger/api';
import type { ResolvedNetwork, ResolvedOrg } from './networkConfig';

/**
 * One entry of the file `peer lifecycle chaincode approveformyorg|commit --collections-config`
 * reads (Fabric's `collectionConfigJson`, internal/peer/chaincode/common.go).
 */
export interface CollectionDefinition {
  name: string;
  /** Who may hold the data: a signature policy that is an OR of `<MSP>.member` principals. */
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy: { signaturePolicy: string };
}

const or = (principals: string[]) => `OR(${principals.map((p) => `'${p}'`).join(',')})`;

function definition(name: string, members: ResolvedOrg[], endorser: ResolvedOrg): CollectionDefinition {
  const memberPeers = members.reduce((n, org) => n + org.peers.length, 0);
  return {
    name,
    policy: or(members.map((org) => `${org.mspId}.member`)),
    // Zero so a write never waits on another member org's peer being up: the endorsing peer keeps
    // the data in its transient store and the other members pull it when they commit the block.
    requiredPeerCount: 0,
    // Every other member peer gets the data pushed at endorsement, so none has to pull at commit.
    maxPeerCount: memberPeers - 1,
    // Records stay until the chaincode purges them on erasure; expiry by block count would
    // silently drop attributes the rules still need.
    blockToLive: 0,
    memberOnlyRead: true,
    memberOnlyWrite: true,
    // Every write needs the issuer's peer: the certifier's peer alone cannot change the record the
    // issuer's rules rely on. Not AND(issuer, certifier): the transfer checks that record a
    // decision's inputs here run where the issuer's own collection is readable, the issuer's peer
    // only. A purge the certifier asks for is endorsed by the issuer's peer too, which runs the
    // same chaincode and grants it (memberOnlyWrite lets a member's client purge). An endorser is
    // always a member, so transient data never reaches a non-member peer.
    endorsementPolicy: { signaturePolicy: or([`${endorser.mspId}.peer`]) },
  };
}

/**
 * The private data collections of the chaincode, derived from the channel's member orgs: one per
 * issuer (the issuer alone) and one per issuer × certifier pair (those two members; writes
 * endorsed by the issuer's peer). Sorted by name,
 * so reordering orgs in network.yaml does not change the definition.
 */
export function collectionsConfig(net: ResolvedNetwork): CollectionDefinition[] {
  const members = net.orgs.filter((o) => net.channel.members.includes(o.name));
  const issuers = members.filter((o) => o.role === 'issuer');
  const certifiers = members.filter((o) => o.role === 'certifier');
  return [
    ...issuers.map((issuer) => definition(issuerCollection(issuer.mspId), [issuer], issuer)),
    ...issuers.flatMap((issuer) => certifiers.map((certifier) => definition(investorCollection(issuer.mspId, certifier.mspId), [issuer, certifier], issuer))),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The collections config file's content, byte-for-byte what `collectionsHash` covers. */
export function renderCollectionsConfig(net: ResolvedNetwork): string {
  return `${JSON.stringify(collectionsConfig(net), null, 2)}\n`;
}

/** Identifies a collections config, so `up` can tell whether the committed definition is current. */
export function collectionsHash(rendered: string): string {
  return createHash('sha256').update(rendered).digest('hex');
}
