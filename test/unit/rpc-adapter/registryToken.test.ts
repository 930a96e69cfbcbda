import { expect } from 'chai';
import { assetKey, deployRegistryToken, EvmOps, kycRegistryTokenAbi, registryTokenReader } from '@kyc-ledger/rpc-adapter';
import {
  BaseError,
  ContractFunctionRevertedError,
  createWalletClient,
  http,
  zeroAddress,
  type Address,
  type Hex,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { startDevGeth, type DevGeth } from '../../support/devGeth';

const PORT_BASE = Number(process.env.KYC_EVM_TEST_PORT_BASE ?? 48000) + 10;

/** The custom error a call reverts with (name and arguments), or undefined when it succeeds. */
async function revertOf(call: () => Promise<unknown>): Promise<{ name: string; args: readonly unknown[] } | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
      return { name: reverted.data.errorName, args: reverted.data.args ?? [] };
    }
    throw error;
  }
}

describe('KycRegistryToken on a real geth (dev mode)', function () {
  this.timeout(120_000);
  let geth: DevGeth;
  let contract: Address;
  const keys = { owner: generatePrivateKey(), sync: generatePrivateKey(), alice: generatePrivateKey(), bob: generatePrivateKey(), carol: generatePrivateKey() };
  const acct = (k: keyof typeof keys): PrivateKeyAccount => privateKeyToAccount(keys[k]);
  const wallet = (k: keyof typeof keys) => createWalletClient({ transport: http(geth.url), account: acct(k) });
  const reader = () => registryTokenReader(geth.client, contract);

  const send = async (k: keyof typeof keys, functionName: string, args: readonly unknown[]): Promise<void> => {
    const { request } = await geth.client.simulateContract({
      address: contract,
      abi: kycRegistryTokenAbi,
      functionName: functionName as 'transfer',
      args: args as never,
      account: acct(k),
    });
    const hash = await wallet(k).writeContract({ ...request, chain: null });
    const receipt = await geth.client.waitForTransactionReceipt({ hash, pollingInterval: 200 });
    expect(receipt.status).to.equal('success');
  };
  const simulate = (k: keyof typeof keys, functionName: string, args: readonly unknown[]) => () =>
    geth.client.simulateContract({ address: contract, abi: kycRegistryTokenAbi, functionName: functionName as 'transfer', args: args as never, account: acct(k) });
  const apply = (fromSeq: number, ops: Array<[number, Address]>, asset = 'ASSET-1', k: keyof typeof keys = 'sync') =>
    send(k, 'applyChanges', [assetKey(asset), BigInt(fromSeq), ops.map(([op, account]) => ({ op, account }))]);

  before(async function () {
    geth = await startDevGeth(PORT_BASE);
    for (const k of Object.keys(keys) as Array<keyof typeof keys>) await geth.fund(acct(k).address);
    contract = await deployRegistryToken(wallet('owner'), geth.client, { asset: 'ASSET-1', name: 'Asset one', symbol: 'AS1', owner: acct('owner').address });
    await send('owner', 'setSyncAccount', [acct('sync').address, true]);
  });
  after(async () => geth?.stop());

  it('stores the asset key and starts at sequence 0', async () => {
    expect(await reader().asset()).to.equal(assetKey('ASSET-1'));
    expect(await reader().appliedSeq()).to.equal(0n);
  });

  it('refuses applyChanges from an account that is not a sync account, and from the owner too', async () => {
    const ops = [{ op: EvmOps.AUTHENTICATE, account: acct('alice').address }];
    expect(await revertOf(simulate('alice', 'applyChanges', [assetKey('ASSET-1'), 1n, ops]))).to.deep.include({ name: 'NotSyncAccount' });
    expect(await revertOf(simulate('owner', 'applyChanges', [assetKey('ASSET-1'), 1n, ops]))).to.deep.include({ name: 'NotSyncAccount' });
    expect(await revertOf(simulate('sync', 'setSyncAccount', [acct('alice').address, true]))).to.deep.include({ name: 'NotOwner' });
    expect(await revertOf(simulate('sync', 'mint', [acct('alice').address, 1n]))).to.deep.include({ name: 'NotOwner' });
  });

  it('refuses another asset and a gap; applies only the next sequence', async () => {
    const ops = [{ op: EvmOps.AUTHENTICATE, account: acct('alice').address }];
    expect(await revertOf(simulate('sync', 'applyChanges', [assetKey('ASSET-2'), 1n, ops]))).to.deep.include({ name: 'WrongAsset' });
    const gap = await revertOf(simulate('sync', 'applyChanges', [assetKey('ASSET-1'), 2n, ops]));
    expect(gap).to.deep.equal({ name: 'SequenceGap', args: [1n, 2n] });
    await apply(1, [[EvmOps.AUTHENTICATE, acct('alice').address], [EvmOps.AUTHENTICATE, acct('bob').address]]);
    expect(await reader().appliedSeq()).to.equal(2n);
    expect(await reader().isAuthenticated(acct('alice').address)).to.equal(true);
    expect(await reader().isAuthenticated(acct('bob').address)).to.equal(true);
  });

  it('treats an already applied range as a no-op and applies only the new part of an overlapping one', async () => {
    // Replaying 1..2 with different ops must change nothing (it was applied already).
    await apply(1, [[EvmOps.REVOKE, acct('alice').address], [EvmOps.REVOKE, acct('bob').address]]);
    expect(await reader().appliedSeq()).to.equal(2n);
    expect(await reader().isAuthenticated(acct('alice').address)).to.equal(true);
    // 2..3: seq 2 is skipped, seq 3 (op none for a non-EVM address) advances the sequence.
    await apply(2, [[EvmOps.REVOKE, acct('bob').address], [EvmOps.NONE, zeroAddress]]);
    expect(await reader().appliedSeq()).to.equal(3n);
    expect(await reader().isAuthenticated(acct('bob').address)).to.equal(true);
    const gap = await revertOf(simulate('sync', 'applyChanges', [assetKey('ASSET-1'), 5n, [{ op: 1, account: acct('carol').address }]]));
    expect(gap).to.deep.equal({ name: 'SequenceGap', args: [4n, 5n] });
    const unknown = await revertOf(simulate('sync', 'applyChanges', [assetKey('ASSET-1'), 4n, [{ op: 7, account: acct('carol').address }]]));
    expect(unknown).to.deep.equal({ name: 'UnknownOp', args: [4n, 7] });
  });

  it('lets authenticated holders transfer (ERC-1404 code 0)', async () => {
    await send('owner', 'mint', [acct('alice').address, 100n]);
    expect(await reader().detectTransferRestriction(acct('alice').address, acct('bob').address, 10n)).to.equal(0);
    await send('alice', 'transfer', [acct('bob').address, 10n]);
    const balance = await geth.client.readContract({ address: contract, abi: kycRegistryTokenAbi, functionName: 'balanceOf', args: [acct('bob').address] });
    expect(balance).to.equal(10n);
  });

  it('reverts with code 1/2 when the sender/recipient is not authenticated', async () => {
    const r = reader();
    expect(await r.detectTransferRestriction(acct('alice').address, acct('carol').address, 1n)).to.equal(2);
    expect(await r.detectTransferRestriction(acct('carol').address, acct('alice').address, 1n)).to.equal(1);
    expect(await revertOf(simulate('alice', 'transfer', [acct('carol').address, 1n]))).to.deep.equal({ name: 'TransferRestricted', args: [2] });
    expect(await revertOf(simulate('carol', 'transfer', [acct('alice').address, 0n]))).to.deep.equal({ name: 'TransferRestricted', args: [1] });
    expect(await revertOf(simulate('owner', 'mint', [acct('carol').address, 1n]))).to.deep.equal({ name: 'TransferRestricted', args: [2] });
    expect(await r.messageForTransferRestriction(2)).to.match(/Recipient is not an authenticated/);
  });

  it('reverts with code 3/4 when the sender/recipient is frozen, and after revocation with 1', async () => {
    await apply(4, [[EvmOps.FREEZE, acct('bob').address]]);
    expect(await revertOf(simulate('bob', 'transfer', [acct('alice').address, 1n]))).to.deep.equal({ name: 'TransferRestricted', args: [3] });
    expect(await revertOf(simulate('alice', 'transfer', [acct('bob').address, 1n]))).to.deep.equal({ name: 'TransferRestricted', args: [4] });
    // transferFrom goes through the same check.
    await send('bob', 'approve', [acct('alice').address, 5n]);
    expect(await revertOf(simulate('alice', 'transferFrom', [acct('bob').address, acct('alice').address, 1n]))).to.deep.equal({ name: 'TransferRestricted', args: [3] });
    await apply(5, [[EvmOps.UNFREEZE, acct('bob').address]]);
    await send('alice', 'transferFrom', [acct('bob').address, acct('alice').address, 1n]);
    await apply(6, [[EvmOps.FREEZE, acct('bob').address], [EvmOps.REVOKE, acct('bob').address]]);
    expect(await reader().isFrozen(acct('bob').address)).to.equal(false);
    expect(await revertOf(simulate('bob', 'transfer', [acct('alice').address, 1n]))).to.deep.equal({ name: 'TransferRestricted', args: [1] });
  });

  it('reverts with code 5 while the asset is frozen', async () => {
    await apply(8, [[EvmOps.AUTHENTICATE, acct('bob').address], [EvmOps.FREEZE_ASSET, zeroAddress]]);
    expect(await revertOf(simulate('alice', 'transfer', [acct('bob').address, 1n]))).to.deep.equal({ name: 'TransferRestricted', args: [5] });
    expect(await reader().messageForTransferRestriction(5)).to.equal('The asset is frozen');
    await apply(10, [[EvmOps.UNFREEZE_ASSET, zeroAddress]]);
    await send('alice', 'transfer', [acct('bob').address, 1n]);
  });

  it('emits one RegistryChanged per applied sequence', async () => {
    const logs = await geth.client.getContractEvents({ address: contract, abi: kycRegistryTokenAbi, eventName: 'RegistryChanged', fromBlock: 0n });
    expect(logs.map((l) => Number(l.args.seq))).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const hex = (await geth.client.getCode({ address: contract })) as Hex;
    expect(hex.length).to.be.greaterThan(100);
  });
});
