import { deployRegistryToken, kycRegistryTokenAbi } from '@kyc-ledger/rpc-adapter';
import { createWalletClient, http, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DevGeth } from './devGeth';

/** A freshly deployed token for `asset` whose sync account is a new funded key. */
export async function deployTokenWithSyncKey(geth: Pick<DevGeth, 'url' | 'client' | 'fund'>, asset: string): Promise<{ contract: Address; syncKey: Hex }> {
  const owner = privateKeyToAccount(generatePrivateKey());
  const syncKey = generatePrivateKey();
  await geth.fund(owner.address);
  await geth.fund(privateKeyToAccount(syncKey).address);
  const wallet = createWalletClient({ transport: http(geth.url), account: owner });
  const contract = await deployRegistryToken(wallet, geth.client, { asset, name: asset, symbol: 'TKN', owner: owner.address });
  const hash = await wallet.writeContract({
    address: contract,
    abi: kycRegistryTokenAbi,
    functionName: 'setSyncAccount',
    args: [privateKeyToAccount(syncKey).address, true],
    chain: null,
  });
  await geth.client.waitForTransactionReceipt({ hash, pollingInterval: 200 });
  return { contract, syncKey };
}
