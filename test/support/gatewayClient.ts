import { connectGateway, type GatewayConnection, type Network } from '@kyc-ledger/network';

/** A Fabric Gateway connection as one org's client user (or admin), through that org's first peer. */
export function connectAs(network: Network, orgName: string, identity: 'user' | 'admin' = 'user'): GatewayConnection {
  const org = network.config.orgs.find((o) => o.name === orgName);
  if (!org) throw new Error(`no org ${orgName}`);
  return connectGateway(network.config, network.layout, org, identity);
}
