import { connectGateway } from './gatewayConnection';
import type { NetworkLayout } from './layout';
import type { ResolvedNetwork } from './networkConfig';

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** The registry's seed, from network.yaml: member orgs with their roles and the certifiers' scope. */
export function bootstrapPayload(net: ResolvedNetwork) {
  const members = net.orgs.filter((o) => net.channel.members.includes(o.name));
  return {
    network: net.name,
    members: members.map((o) => ({ mspId: o.mspId, name: o.displayName, roles: [o.role] })),
    accreditations: members.flatMap((o) => (o.accreditation ? [{ certifier: o.mspId, ...o.accreditation }] : [])),
  };
}

/**
 * Seeds the on-ledger member registry on a new channel: submitted once, as the admin of the first
 * member org, and only while the registry is empty (the chaincode refuses it afterwards).
 */
export async function ensureRegistry(net: ResolvedNetwork, layout: NetworkLayout): Promise<'bootstrapped' | 'present'> {
  const org = net.orgs.find((o) => net.channel.members.includes(o.name));
  if (!org) throw new Error('channel has no member orgs');
  const connection = connectGateway(net, layout, org, 'admin');
  try {
    const members = JSON.parse(utf8(await connection.contract.evaluateTransaction('registry:listMembers'))) as unknown[];
    if (members.length > 0) return 'present';
    await connection.contract.submitTransaction('registry:bootstrap', JSON.stringify(bootstrapPayload(net)));
    return 'bootstrapped';
  } finally {
    connection.close();
  }
}
