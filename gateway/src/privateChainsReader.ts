import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Logger } from 'pino';
// The client module alone: the adapter package's index loads its server, EVM and storage code.
import type { AdapterClient } from '@kyc-ledger/rpc-adapter/dist/client/adapterClient';
import { readLinkStatuses } from '@kyc-ledger/rpc-adapter/dist/client/readLinkStatuses';
import type { LinkedChain, PrivateChains } from './privateChainsSchemas';

/** How long the private chains route waits for the adapter. */
export const PRIVATE_CHAINS_DEADLINE_MS = 3_000;
/** How long the private chains route reuses an answer of the adapter. */
export const PRIVATE_CHAINS_CACHE_MS = 5_000;

/** The adapter calls the route makes (a real {@link AdapterClient} or a test double of it). */
export type AdapterLinksClient = Pick<AdapterClient, 'listLinks' | 'getSyncStatus' | 'close'>;

/** Opens a client of the org's RPC adapter (a fresh channel per read, closed after it). */
export type AdapterConnector = () => AdapterLinksClient;

/** Reads the org's private chains; never rejects. */
export type PrivateChainsReader = () => Promise<PrivateChains>;

/** What {@link adapterChainsReader} is built from. */
export interface AdapterChainsReaderOptions {
  /** The gateway's org (the adapter answers with its links only). */
  mspId: string;
  /** Absent: no adapter configured. */
  connect?: AdapterConnector;
  /** Bound of the whole read (the links and each one's status). */
  deadlineMs: number;
  /** How long an answer is reused, and shared by the requests arriving meanwhile. */
  cacheMs: number;
  logger?: Logger;
  now?: () => number;
}

class DeadlineExceeded extends Error {}

/**
 * Why the adapter could not be read, in the gateway's own words: the gRPC error's text can carry
 * addresses and library internals, so it is logged, not answered.
 */
function reasonOf(error: unknown, deadlineMs: number): string {
  if (error instanceof DeadlineExceeded) return `the RPC adapter did not answer within ${deadlineMs} ms`;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case GrpcStatus.UNAVAILABLE:
      return 'the RPC adapter is unavailable (not running, or not reachable from this gateway)';
    case GrpcStatus.DEADLINE_EXCEEDED:
      return `the RPC adapter did not answer within ${deadlineMs} ms`;
    case GrpcStatus.UNAUTHENTICATED:
    case GrpcStatus.PERMISSION_DENIED:
      return 'the RPC adapter refused this gateway\'s certificate';
    default:
      return typeof code === 'number' && GrpcStatus[code] !== undefined
        ? `the RPC adapter answered with an error (${GrpcStatus[code]})`
        : 'the RPC adapter could not be read';
  }
}

/** The org's links as the route answers them: the chain's RPC URL is an internal address, left out. */
async function readLinks(client: AdapterLinksClient): Promise<LinkedChain[]> {
  return (await readLinkStatuses(client)).map(({ rpcUrl: _rpcUrl, ...link }) => link);
}

/** Settles within `ms`: the work's value, or a {@link DeadlineExceeded} rejection. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The org's linked chains with their sync status, read from its RPC adapter within `deadlineMs`.
 * An answer (also "unreachable") is kept `cacheMs`; concurrent requests share one read, so a
 * console left open by many people costs the adapter one read per period.
 */
export function adapterChainsReader(options: AdapterChainsReaderOptions): PrivateChainsReader {
  const now = options.now ?? Date.now;
  const { connect, mspId, deadlineMs } = options;
  let cached: { at: number; answer: Promise<PrivateChains> } | undefined;

  async function read(): Promise<PrivateChains> {
    const checkedAt = new Date(now()).toISOString();
    if (!connect) return { org: mspId, configured: false, checkedAt, links: [] };
    let client: AdapterLinksClient | undefined;
    try {
      client = connect();
      const links = await within(readLinks(client), deadlineMs);
      return { org: mspId, configured: true, reachable: true, checkedAt, links };
    } catch (error) {
      options.logger?.warn({ err: error }, 'the RPC adapter could not be read');
      return { org: mspId, configured: true, reachable: false, reason: reasonOf(error, deadlineMs), checkedAt, links: [] };
    } finally {
      // Also cancels calls still pending after the deadline.
      client?.close();
    }
  }

  return () => {
    const at = now();
    if (!cached || at - cached.at >= options.cacheMs) cached = { at, answer: read() };
    return cached.answer;
  };
}
