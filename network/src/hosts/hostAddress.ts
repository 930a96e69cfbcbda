import { isIP } from 'node:net';
import { z } from 'zod';

/** The address every node uses when network.yaml names none: this machine's loopback. */
export const DEFAULT_HOST = '127.0.0.1';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** A DNS name whose last label is not all digits, so a mistyped IPv4 address is not taken for a name. */
function isHostName(value: string): boolean {
  const labels = value.split('.');
  return value.length <= 253 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/**
 * Where a node listens and how others reach it: an IPv4 or IPv6 address or a DNS name. Not the
 * unspecified address (0.0.0.0, ::): the same value is advertised to other nodes (gossip, channel
 * config) and named in TLS certificates, so it must be an address others can dial.
 */
export const hostSchema = z
  .string()
  .refine((value) => isIP(value) !== 0 || isHostName(value), {
    message: 'must be an IPv4 or IPv6 address or a DNS host name',
  })
  .refine((value) => value !== '0.0.0.0' && !(isIP(value) === 6 && /^[0:]+$/.test(value)), {
    message: 'must be an address other nodes can dial, not the unspecified address (0.0.0.0 or ::)',
  });

/** `host:port` as gRPC, Fabric and Node dial it; an IPv6 address in brackets. */
export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** An http(s)/ws URL's origin for a host and port. */
export function hostUrl(scheme: 'http' | 'https' | 'ws', host: string, port: number): string {
  return `${scheme}://${hostPort(host, port)}`;
}
