import { ChangeTypes } from '@kyc-ledger/api';
import type { Logger } from 'pino';
import { createPublicClient, createWalletClient, getContractAddress, http, parseEther, type Address, type Chain, type PublicClient } from 'viem';
import { kycRegistryTokenAbi } from '../generated/contracts';
import { deployRegistryToken } from '../evm/registryToken';
import type { RpcAdapterConfig } from '../rpcAdapterConfig';
import type { CommittedBlock } from '@kyc-ledger/follower';
import type { LevelBatch, LevelDb } from '../store/levelTypes';
import { linkIdOf, type LinkStore } from '../store/linkStore';
import { syncAccountOf } from './syncAccounts';

/** One `sync.autoLink` entry of the configuration. */
export type AutoLinkRule = NonNullable<RpcAdapterConfig['sync']>['autoLink'][number];

/** An asset waiting to be linked; `contract` once its token is deployed (so a restart does not deploy again). */
interface PendingLink {
  asset: string;
  org: string;
  contract?: Address;
}

/** Below this balance the sync account is funded again (when the rule allows). */
const MIN_BALANCE = parseEther('1');

/** The LinkChain request id of an auto-link: one per asset, so linking it again answers the same link. */
export function autoLinkRequestId(asset: string): string {
  return `auto-link:${asset}`;
}

/**
 * Links every new asset of a configured org to that org's default chain (a dev and demo setup):
 * an `AssetCreated` seen by the follower is queued in the follower's own batch (so it is neither
 * lost nor queued twice across a crash), then a worker deploys a KycRegistryToken owned by the
 * link's sync account, grants that account, funds it from the chain's developer account when
 * configured, and links the asset with a request id derived from the asset. Every step is
 * idempotent; a failing step is retried with back-off.
 */
export class AutoLinker {
  private readonly pending;
  private readonly done;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private running = false;

  constructor(
    db: LevelDb,
    private readonly rules: readonly AutoLinkRule[],
    private readonly links: LinkStore,
    private readonly masterSecret: Uint8Array,
    private readonly logger: Logger,
  ) {
    this.pending = db.sublevel<string, PendingLink>('auto-link-pending', { valueEncoding: 'json' });
    this.done = db.sublevel<string, string>('auto-link-done', { valueEncoding: 'utf8' });
  }

  /** Follower sink part: queues the block's new assets of auto-linked orgs into `batch`. */
  async applyBlock(block: CommittedBlock, batch: LevelBatch): Promise<void> {
    for (const event of block.events) {
      for (const change of event.changes) {
        if (change.type !== ChangeTypes.ASSET_CREATED || !this.rules.some((r) => r.org === change.issuer)) continue;
        // A re-applied block must not queue an asset linked already.
        if ((await this.done.get(change.id)) !== undefined || (await this.pending.get(change.id)) !== undefined) continue;
        batch.put(change.id, { asset: change.id, org: change.issuer }, { sublevel: this.pending } as never);
      }
    }
  }

  /** Call after a block's batch landed: new work may be queued. */
  wake(): void {
    this.wakeUp?.();
  }

  start(): void {
    if (this.running || this.rules.length === 0) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        for (const item of await this.pending.values().all()) {
          if (!this.running) break;
          await this.link(item);
        }
        failures = 0;
        await this.sleep(5_000);
      } catch (error) {
        failures += 1;
        this.logger.warn({ err: error }, 'auto-link failed; retrying');
        await this.sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  private async link(item: PendingLink): Promise<void> {
    const rule = this.rules.find((r) => r.org === item.org);
    if (!rule) return;
    const requestId = autoLinkRequestId(item.asset);
    const linkId = linkIdOf(item.org, requestId);
    if (!(await this.links.get(linkId))) {
      const account = syncAccountOf(this.masterSecret, linkId);
      const chain = chainOf(rule);
      const transport = http(rule.chain.rpcUrl, { timeout: 15_000, retryCount: 0 });
      const client = createPublicClient({ chain, transport, pollingInterval: 250 }) as PublicClient;
      if (rule.fundFromDevAccount && (await client.getBalance({ address: account.address })) < MIN_BALANCE) {
        await fundFromDevAccount(client, chain, rule.chain.rpcUrl, account.address);
      }
      const wallet = createWalletClient({ account, chain, transport });
      let contract = item.contract;
      if (contract === undefined) {
        contract = (await this.deployedBefore(client, account.address)) ??
          (await deployRegistryToken(wallet, client, { asset: item.asset, name: `KYC ${item.asset}`.slice(0, 64), symbol: 'KYC', owner: account.address }));
        await this.pending.put(item.asset, { ...item, contract });
        this.logger.info({ asset: item.asset, contract }, 'auto-link: registry token deployed');
      }
      const hash = await wallet.writeContract({ address: contract, abi: kycRegistryTokenAbi, functionName: 'setSyncAccount', args: [account.address, true], chain, account });
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 250, timeout: 60_000 });
      if (receipt.status !== 'success') throw new Error(`granting the sync account on ${contract} reverted (${hash})`);
      await this.links.link(item.org, requestId, item.asset, { chainId: rule.chain.chainId, rpcUrl: rule.chain.rpcUrl, contractAddress: contract, confirmations: rule.chain.confirmations });
      this.logger.info({ asset: item.asset, linkId, contract, syncAccount: account.address }, 'auto-link: asset linked');
    }
    await this.done.put(item.asset, linkId);
    await this.pending.del(item.asset);
  }

  /**
   * The token an earlier run deployed but was killed before recording: a link's sync account is
   * fresh, so its deployment is its first transaction (nonce 0) and its address is known. A
   * deployment still pending is waited for, so a restart never deploys a second token.
   */
  private async deployedBefore(client: PublicClient, from: Address): Promise<Address | undefined> {
    if ((await client.getTransactionCount({ address: from, blockTag: 'pending' })) === 0) return undefined;
    const deadline = Date.now() + 60_000;
    while ((await client.getTransactionCount({ address: from, blockTag: 'latest' })) === 0) {
      if (Date.now() > deadline) throw new Error(`the first transaction of ${from} is still pending`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const first = getContractAddress({ from, nonce: 0n });
    const code = await client.getCode({ address: first });
    return code !== undefined && code !== '0x' ? first : undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function chainOf(rule: AutoLinkRule): Chain {
  return {
    id: rule.chain.chainId,
    name: `chain ${rule.chain.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rule.chain.rpcUrl] } },
  };
}

/** Sends 100 ether from the node's first unlocked account (geth --dev's developer account); the node signs. */
async function fundFromDevAccount(client: PublicClient, chain: Chain, rpcUrl: string, to: Address): Promise<void> {
  const [dev] = await client.request<{ Method: 'eth_accounts'; Parameters?: undefined; ReturnType: Address[] }>({ method: 'eth_accounts' });
  if (!dev) throw new Error(`the node at ${rpcUrl} has no unlocked account to fund ${to} from (is it geth --dev?)`);
  const wallet = createWalletClient({ account: dev, chain, transport: http(rpcUrl, { timeout: 15_000, retryCount: 0 }) });
  const hash = await wallet.sendTransaction({ to, value: parseEther('100'), chain, account: dev });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 250, timeout: 60_000 });
  if (receipt.status !== 'success') throw new Error(`funding ${to} reverted (${hash})`);
}
