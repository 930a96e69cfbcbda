import type { RegistryChange } from '@kyc-ledger/api';
import { evmChangeOf, EvmOps, kycRegistryTokenAbi, registryTokenReader } from '@kyc-ledger/rpc-adapter';
import { parseEventLogs, type Address, type PublicClient } from 'viem';

/** An asset's registry as the EVM contract should hold it. */
export interface EvmRegistryState {
  authenticated: Address[];
  frozen: Address[];
  assetFrozen: boolean;
}

/** The state the ledger's changes lead to, folded independently of the contract (revoke clears the freeze). */
export function expectedEvmState(changes: RegistryChange[]): EvmRegistryState {
  const authenticated = new Set<Address>();
  const frozen = new Set<Address>();
  let assetFrozen = false;
  for (const change of changes) {
    const { op, account } = evmChangeOf(change);
    if (op === EvmOps.AUTHENTICATE) authenticated.add(account);
    if (op === EvmOps.REVOKE) {
      authenticated.delete(account);
      frozen.delete(account);
    }
    if (op === EvmOps.FREEZE) frozen.add(account);
    if (op === EvmOps.UNFREEZE) frozen.delete(account);
    if (op === EvmOps.FREEZE_ASSET) assetFrozen = true;
    if (op === EvmOps.UNFREEZE_ASSET) assetFrozen = false;
  }
  return { authenticated: [...authenticated].sort(), frozen: [...frozen].sort(), assetFrozen };
}

/** What the contract holds for every account the changes mention. */
export async function evmStateOf(client: PublicClient, contract: Address, changes: RegistryChange[]): Promise<EvmRegistryState> {
  const reader = registryTokenReader(client, contract);
  const accounts = [...new Set(changes.map((c) => evmChangeOf(c)).filter((c) => c.op >= 1 && c.op <= 4).map((c) => c.account))].sort();
  const authenticated: Address[] = [];
  const frozen: Address[] = [];
  for (const account of accounts) {
    if (await reader.isAuthenticated(account)) authenticated.push(account);
    if (await reader.isFrozen(account)) frozen.push(account);
  }
  return { authenticated, frozen, assetFrozen: await reader.assetFrozen() };
}

/**
 * The sequence of every RegistryChanged event on the canonical chain, in chain order, read from
 * the receipts block by block: geth's log index (eth_getLogs) answers nothing for a while after a
 * debug_setHead, so it cannot be trusted for this check.
 */
export async function appliedSequences(client: PublicClient, contract: Address): Promise<number[]> {
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const sequences: number[] = [];
  for (let n = 0n; n <= head; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.to?.toLowerCase() !== contract.toLowerCase()) continue;
      const receipt = await client.getTransactionReceipt({ hash: tx.hash });
      const events = parseEventLogs({ abi: kycRegistryTokenAbi, eventName: 'RegistryChanged', logs: receipt.logs });
      sequences.push(...events.map((e) => Number(e.args.seq)));
    }
  }
  return sequences;
}

/** Statuses of every transaction `from` sent, scanning the chain (dev chains are short). */
export async function transactionStatuses(client: PublicClient, from: Address): Promise<string[]> {
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const statuses: string[] = [];
  for (let n = 0n; n <= head; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.from.toLowerCase() !== from.toLowerCase()) continue;
      statuses.push((await client.getTransactionReceipt({ hash: tx.hash })).status);
    }
  }
  return statuses;
}
