import { createPublicClient, createWalletClient, getAddress, http, numberToHex, parseEther, type Address, type Hash, type PublicClient } from 'viem';
import { NetworkError } from '../errors';

/**
 * geth's developer account: dev mode imports this fixed key into the data dir's keystore on the
 * first start (cmd/utils.DeveloperKey), prefunds it in the dev genesis and keeps it unlocked.
 */
export const DEV_ACCOUNT: Address = getAddress('0x71562b71999873db5b286df957af199ec94617f7');
/** The chain id of geth's dev genesis (params.AllDevChainProtocolChanges). */
export const DEV_CHAIN_ID = 1337;

/** A viem public client for a chain's HTTP JSON-RPC; short timeouts and no retries, callers decide. */
export function chainClient(httpUrl: string): PublicClient {
  // A 1 s block period makes viem's default 4 s polling the slowest part of waiting for a receipt.
  return createPublicClient({ transport: http(httpUrl, { timeout: 5_000, retryCount: 0 }), pollingInterval: 250 });
}

function rpcFailed(what: string, httpUrl: string, cause: unknown): NetworkError {
  return new NetworkError('CHAIN_RPC_FAILED', `${what} on ${httpUrl} failed: ${(cause as Error).message?.split('\n')[0] ?? String(cause)}`, { cause, details: { httpUrl } });
}

/** The chain's head block number, or undefined when it does not answer. */
export async function blockHeight(httpUrl: string): Promise<bigint | undefined> {
  try {
    return await chainClient(httpUrl).getBlockNumber({ cacheTime: 0 });
  } catch {
    return undefined;
  }
}

export interface FundResult {
  hash: Hash;
  blockNumber: bigint;
}

/**
 * Sends `ether` (default 100) from the unlocked dev account to `to` and waits for the receipt
 * (the node signs: eth_sendTransaction, no key leaves geth).
 */
export async function fundFromDevAccount(httpUrl: string, to: Address, ether = '100'): Promise<FundResult> {
  const transport = http(httpUrl, { timeout: 10_000, retryCount: 0 });
  try {
    const publicClient = createPublicClient({ transport, pollingInterval: 250 });
    const chainId = await publicClient.getChainId();
    const wallet = createWalletClient({ account: DEV_ACCOUNT, transport });
    const chain = { id: chainId, name: `chain ${chainId}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [httpUrl] } } };
    const hash = await wallet.sendTransaction({ chain, to, value: parseEther(ether) });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: 60_000 });
    if (receipt.status !== 'success') throw new Error(`funding transaction ${hash} reverted`);
    return { hash, blockNumber: receipt.blockNumber };
  } catch (cause) {
    throw rpcFailed(`funding ${to}`, httpUrl, cause);
  }
}

export interface ReorgResult {
  /** Head before the rewind. */
  from: bigint;
  /** Head set by debug_setHead; the node seals new (different) blocks on top of it. */
  to: bigint;
}

/**
 * Rewinds the chain by `depth` blocks with geth's `debug_setHead`: the dropped blocks' transactions
 * go back to the pool and are sealed again in new blocks with other hashes — a real reorg on one node.
 * Subscribers see no `removed: true` logs for it, so a client must compare block hashes.
 */
export async function reorg(httpUrl: string, depth: number): Promise<ReorgResult> {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`reorg depth must be a positive integer (got ${depth})`);
  const client = chainClient(httpUrl);
  try {
    const from = await client.getBlockNumber({ cacheTime: 0 });
    const to = from > BigInt(depth) ? from - BigInt(depth) : 0n;
    await client.request<{ Method: 'debug_setHead'; Parameters: [`0x${string}`]; ReturnType: null }>({ method: 'debug_setHead', params: [numberToHex(to)] });
    return { from, to };
  } catch (cause) {
    throw rpcFailed(`debug_setHead by ${depth}`, httpUrl, cause);
  }
}
