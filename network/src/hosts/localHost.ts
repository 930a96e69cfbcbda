import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * True when `host` is an address of this machine (or of the network namespace the process runs
 * in): a loopback address, an address on one of its interfaces, or a name that resolves to one.
 * `up` starts a node only where its host is local; elsewhere its owner starts it (`up --org`).
 */
export async function isLocalHost(host: string): Promise<boolean> {
  const addresses = isIP(host) !== 0 ? [host] : await resolveAll(host);
  const local = new Set(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)));
  return addresses.some((a) => isLoopback(a) || local.has(a));
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((r) => r.address);
  } catch {
    // A name that does not resolve here names no address of this machine.
    return [];
  }
}
