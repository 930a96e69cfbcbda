import type { GatewayEndpoint } from '@kyc-ledger/network';

/** One sample of a gateway's /metrics: the first line of `name` whose labels include `label`. */
export async function metric(gateway: GatewayEndpoint, name: string, label = ''): Promise<number | undefined> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
