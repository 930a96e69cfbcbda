import type { Address, Hex, PublicClient, WalletClient } from 'viem';
import { kycRegistryTokenAbi, kycRegistryTokenBytecode } from '../generated/contracts';
import { assetKey } from './assetKey';

export { kycRegistryTokenAbi };

/** What a new token contract is deployed with. */
export interface RegistryTokenDeployment {
  /** The ledger asset id (the contract stores its {@link assetKey}). */
  asset: string;
  name: string;
  symbol: string;
  /** The institution that owns the token: sets sync accounts and mints. */
  owner: Address;
}

/**
 * Deploys the registry token from `wallet`'s account and waits for it to be mined; answers the
 * contract's address.
 */
export async function deployRegistryToken(
  wallet: WalletClient,
  client: PublicClient,
  deployment: RegistryTokenDeployment,
): Promise<Address> {
  if (wallet.account === undefined) throw new Error('deployRegistryToken needs a wallet client with an account');
  const hash = await wallet.deployContract({
    abi: kycRegistryTokenAbi,
    bytecode: kycRegistryTokenBytecode,
    args: [assetKey(deployment.asset), deployment.name, deployment.symbol, deployment.owner],
    account: wallet.account,
    chain: wallet.chain ?? null,
  });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 200 });
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new Error(`deploying the registry token failed (transaction ${hash})`);
  }
  return receipt.contractAddress;
}

/** Typed reads of a deployed registry token, at the latest block. */
export interface RegistryTokenReader {
  appliedSeq(): Promise<bigint>;
  isAuthenticated(account: Address): Promise<boolean>;
  isFrozen(account: Address): Promise<boolean>;
  assetFrozen(): Promise<boolean>;
  asset(): Promise<Hex>;
  detectTransferRestriction(from: Address, to: Address, value: bigint): Promise<number>;
  messageForTransferRestriction(code: number): Promise<string>;
}

/** Reads of the token at `address` through `client`. */
export function registryTokenReader(client: PublicClient, address: Address): RegistryTokenReader {
  const base = { address, abi: kycRegistryTokenAbi, blockTag: 'latest' } as const;
  return {
    appliedSeq: () => client.readContract({ ...base, functionName: 'appliedSeq' }),
    isAuthenticated: (account) => client.readContract({ ...base, functionName: 'isAuthenticated', args: [account] }),
    isFrozen: (account) => client.readContract({ ...base, functionName: 'isFrozen', args: [account] }),
    assetFrozen: () => client.readContract({ ...base, functionName: 'assetFrozen' }),
    asset: () => client.readContract({ ...base, functionName: 'asset' }),
    detectTransferRestriction: (from, to, value) =>
      client.readContract({ ...base, functionName: 'detectTransferRestriction', args: [from, to, value] }),
    messageForTransferRestriction: (code) =>
      client.readContract({ ...base, functionName: 'messageForTransferRestriction', args: [code] }),
  };
}
