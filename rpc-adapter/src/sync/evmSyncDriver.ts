import type { Address, Hex, PublicClient } from 'viem';
import { BaseError, ContractFunctionRevertedError, encodeFunctionData, keccak256, parseTransaction } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { kycRegistryTokenAbi } from '../generated/contracts';
import { assetKey } from '../evm/assetKey';
import { evmChangeOf } from '../evm/evmChangeOf';
import type { RegistryChangeSource } from '../registryChangeSource';
import { SyncOutbox, type OutboxEntry } from './syncOutbox';
import type { SyncStepHook } from './syncSteps';

/** Where and how one asset is synced to one linked EVM chain. */
export interface EvmSyncOptions {
  /** The chain's JSON-RPC client. */
  client: PublicClient;
  /** The deployed KycRegistryToken. */
  contract: Address;
  /** The ledger asset id the contract mirrors. */
  asset: string;
  /** A sync account of the contract; signs locally, its key never leaves the process. */
  signer: PrivateKeyAccount;
  source: RegistryChangeSource;
  outbox: SyncOutbox;
  /** Blocks on top of a transaction's block before its range counts applied (1: its own block). */
  confirmations: number;
  /** Changes per EVM transaction (bounded so a transaction stays far below the per-tx gas cap). */
  batchSize?: number;
  /** Transactions signed and not yet confirmed, at most (default 16). */
  maxInFlight?: number;
  /** Rebroadcast a transaction's stored bytes when no receipt came for this long. */
  rebroadcastAfterMs?: number;
  /** Keep a confirmed transaction this many blocks more, to rebroadcast it if a deeper reorg drops it. */
  retainBlocks?: number;
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  /** Called after each named step (crash tests kill the process there). */
  onStep?: SyncStepHook;
}

/** The driver's view of one linked chain, for status pages and the gRPC service. */
export interface SyncStatus {
  asset: string;
  contract: Address;
  /** The contract's `appliedSeq()` at the latest block (may still be reorged). */
  appliedSeq: number;
  /** Highest sequence counted applied (N confirmations); durable. */
  confirmedSeq: number;
  /** The ledger's newest sequence for the asset. */
  ledgerHead: number;
  /** ledgerHead − confirmedSeq. */
  lag: number;
  /** Transactions in the outbox not yet confirmed. */
  inFlight: number;
  /** Stored transactions sent again since start (receipt late, or dropped by a reorg). */
  rebroadcasts: number;
  /** Of those, the ones whose receipt had been seen and then vanished (a reorg). */
  reorgedOut: number;
  lastError?: { message: string; at: string };
}

// Gas: a fixed part plus a bound per op, not an estimate, because estimating against the current
// state reverts (SequenceGap) while earlier batches are still pending. Measured on geth 1.17.10 dev
// (Osaka): a fresh storage slot costs ~113k gas there (authenticate/freeze of a new address ~115k
// per op, the call itself ~140k the first time), so the bound is roughly 2× that; unused gas is not
// charged. A transaction that still runs out of gas is resent with the bound doubled.
const baseGas = 250_000n;
const gasPerOp = 200_000n;
/** EIP-7825 (Osaka) caps one transaction's gas at 2^24. */
const maxTxGas = 16_777_216n;

/**
 * Keeps one linked chain's contract in step with the ledger's registry changes of one asset.
 * Each EVM transaction is signed locally and stored in the outbox (nonce, raw bytes, hash,
 * sequence range) before it is broadcast; a range counts applied only after N confirmations;
 * stored bytes are rebroadcast when a receipt vanishes (reorg) or is late; RPC errors back off and
 * are retried, never skipped. The contract applies only the next sequence, so every resend is
 * harmless.
 */
export class EvmSyncDriver {
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly rebroadcastAfterMs: number;
  private readonly retainBlocks: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly onStep: SyncStepHook;
  private readonly lastBroadcast = new Map<number, number>();
  private chainId: number | undefined;
  private gasFactor = 1n;
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private current: SyncStatus;

  constructor(private readonly options: EvmSyncOptions) {
    this.batchSize = options.batchSize ?? 20;
    // 16, not 4: a range is confirmed a block or two after it is sent, so at 1 s blocks 4 × 20
    // changes in flight capped the driver near 80 changes/s whatever the chain could take
    // (docs/performance.md, "Registry sync").
    this.maxInFlight = options.maxInFlight ?? 16;
    this.rebroadcastAfterMs = options.rebroadcastAfterMs ?? 3_000;
    this.retainBlocks = options.retainBlocks ?? 64;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.onStep = options.onStep ?? (() => undefined);
    if (!Number.isInteger(options.confirmations) || options.confirmations < 1) {
      throw new Error('confirmations must be an integer ≥ 1');
    }
    this.current = { asset: options.asset, contract: options.contract, appliedSeq: 0, confirmedSeq: 0, ledgerHead: 0, lag: 0, inFlight: 0, rebroadcasts: 0, reorgedOut: 0 };
  }

  /** The latest status (refreshed every round). */
  status(): SyncStatus {
    return { ...this.current };
  }

  /** Starts syncing in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.source.onChange((asset) => {
      if (asset === this.options.asset) this.wake?.();
    });
    this.loop = this.run();
  }

  /** Stops after the current round. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.round();
        failures = 0;
        await this.sleep(this.pollIntervalMs);
      } catch (error) {
        failures += 1;
        this.current.lastError = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
        // Exponential backoff with jitter; the same changes are tried again, none is skipped.
        const delay = Math.min(this.maxBackoffMs, 200 * 2 ** Math.min(failures, 10));
        await this.sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  }

  /** One pass: follow the outbox's transactions on chain, then sign and send new batches. */
  async round(): Promise<void> {
    const { client, outbox } = this.options;
    this.chainId ??= await client.getChainId();
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
    let entries = await outbox.entries();
    entries = await this.track(entries, head);
    const applied = Number(await this.readAppliedSeq());
    entries = await this.fill(entries, applied);
    const confirmedSeq = await outbox.confirmedSeq();
    const ledgerHead = (await this.options.source.changes(this.options.asset, confirmedSeq + 1, 1)).head;
    this.current = {
      ...this.current,
      appliedSeq: applied,
      confirmedSeq,
      ledgerHead,
      lag: Math.max(0, ledgerHead - confirmedSeq),
      inFlight: entries.filter((e) => !e.confirmed).length,
    };
  }

  /** Receipts, confirmations and rebroadcasts of the stored transactions; answers what is left. */
  private async track(entries: OutboxEntry[], head: number): Promise<OutboxEntry[]> {
    const { outbox } = this.options;
    const kept: OutboxEntry[] = [];
    let allBeforeConfirmed = true;
    for (let entry of entries) {
      if (entry.raw === undefined) entry = await this.sign(entry);
      const receipt = await this.receiptOf(entry.hash as Hex);
      if (receipt === undefined) {
        allBeforeConfirmed = false;
        // Never mined, dropped, late, or its block was reorged away: send the same bytes again.
        const last = this.lastBroadcast.get(entry.nonce);
        const vanished = entry.seenInBlock !== undefined;
        if (vanished || last === undefined || Date.now() - last >= this.rebroadcastAfterMs) {
          if (vanished) {
            this.current.reorgedOut += 1;
            entry = { ...entry, seenInBlock: undefined, confirmed: false };
            await outbox.put(entry);
          }
          if (vanished || last !== undefined) this.current.rebroadcasts += 1;
          await this.broadcast(entry);
        }
        kept.push(entry);
        continue;
      }
      const block = Number(receipt.blockNumber);
      if (entry.seenInBlock !== block || entry.reverted !== (receipt.status !== 'success')) {
        entry = { ...entry, seenInBlock: block, reverted: receipt.status !== 'success' };
        await outbox.put(entry);
        this.onStep('receipt-seen');
      }
      const depth = head - block + 1;
      if (!entry.confirmed && allBeforeConfirmed && depth >= this.options.confirmations) {
        if (entry.reverted) {
          // Its range was not applied (e.g. a gap after a reorg deeper than the retention); the next
          // fill resends from the contract's appliedSeq.
          const outOfGas = receipt.gasUsed >= parseTransaction(entry.raw as Hex).gas!;
          if (outOfGas && this.gasFactor < 8n) this.gasFactor *= 2n;
          const reason = outOfGas ? 'out of gas' : await this.revertReasonOf(entry, receipt.blockNumber);
          this.current.lastError = { message: `transaction ${entry.hash} (seq ${entry.fromSeq}–${entry.toSeq}) reverted (${reason}); resending its changes`, at: new Date().toISOString() };
          // Kept (without moving the checkpoint) for the same retention as a confirmed one: were a
          // reorg to drop its block, geth would not re-pool it, and its nonce would be a gap that no
          // later transaction passes; the vanished path above then sends its stored bytes again.
          entry = { ...entry, confirmed: true };
          await outbox.put(entry);
        } else {
          const confirmedSeq = Math.max(await outbox.confirmedSeq(), entry.toSeq);
          await outbox.confirm(entry, confirmedSeq);
          entry = { ...entry, confirmed: true };
          this.onStep('checkpoint-written');
        }
      }
      if (!entry.confirmed) allBeforeConfirmed = false;
      if (entry.confirmed && depth >= this.options.confirmations + this.retainBlocks) {
        await outbox.remove(entry.nonce);
        this.lastBroadcast.delete(entry.nonce);
        continue;
      }
      kept.push(entry);
    }
    return kept;
  }

  /** Reads new changes and queues them as signed transactions, up to the in-flight bound. */
  private async fill(entries: OutboxEntry[], applied: number): Promise<OutboxEntry[]> {
    const { outbox, source, asset } = this.options;
    const result = [...entries];
    // Pending or successful transactions already carry their ranges; reverted ones do not.
    let nextSeq = Math.max(applied, ...result.filter((e) => !e.reverted).map((e) => e.toSeq)) + 1;
    while (result.filter((e) => !e.confirmed).length < this.maxInFlight) {
      const page = await source.changes(asset, nextSeq, this.batchSize);
      const changes = page.changes.filter((c) => c.seq >= nextSeq);
      if (changes.length === 0) break;
      changes.forEach((c, i) => {
        if (c.seq !== nextSeq + i) throw new Error(`the change source skipped from ${nextSeq + i - 1} to ${c.seq}`);
      });
      this.onStep('change-received');
      const nonce = await this.nextNonce(result);
      const intent: OutboxEntry = {
        nonce,
        fromSeq: nextSeq,
        toSeq: nextSeq + changes.length - 1,
        ops: changes.map((c) => evmChangeOf(c)),
      };
      await outbox.put(intent);
      this.onStep('outbox-written');
      const signed = await this.sign(intent);
      await this.broadcast(signed);
      result.push(signed);
      nextSeq = signed.toSeq + 1;
    }
    return result;
  }

  /**
   * The next nonce: above every stored one (an entry removed after its revert still used its
   * nonce) and not below the chain's count (the outbox may have dropped old confirmed entries).
   */
  private async nextNonce(entries: OutboxEntry[]): Promise<number> {
    const stored = entries.reduce((max, e) => Math.max(max, e.nonce + 1), 0);
    const onChain = await this.options.client.getTransactionCount({ address: this.options.signer.address, blockTag: 'latest' });
    return Math.max(stored, onChain);
  }

  /** Signs an outbox entry and stores its raw bytes and hash before anything is sent. */
  private async sign(entry: OutboxEntry): Promise<OutboxEntry> {
    const { client, signer, contract, outbox } = this.options;
    const fees = await client.estimateFeesPerGas();
    const data = encodeFunctionData({
      abi: kycRegistryTokenAbi,
      functionName: 'applyChanges',
      args: [assetKey(this.options.asset), BigInt(entry.fromSeq), entry.ops],
    });
    const raw = await signer.signTransaction({
      type: 'eip1559',
      chainId: this.chainId ?? (await client.getChainId()),
      nonce: entry.nonce,
      to: contract,
      data,
      value: 0n,
      gas: this.gasFor(entry.ops.length),
      // Headroom so the same stored bytes stay includable while the base fee rises.
      maxFeePerGas: fees.maxFeePerGas * 3n,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    const signed: OutboxEntry = { ...entry, raw, hash: keccak256(raw) };
    await outbox.put(signed);
    this.onStep('signed-and-stored');
    return signed;
  }

  private gasFor(ops: number): bigint {
    const gas = (baseGas + gasPerOp * BigInt(ops)) * this.gasFactor;
    return gas < maxTxGas ? gas : maxTxGas;
  }

  private async broadcast(entry: OutboxEntry): Promise<void> {
    this.lastBroadcast.set(entry.nonce, Date.now());
    try {
      await this.options.client.sendRawTransaction({ serializedTransaction: entry.raw as Hex });
    } catch (error) {
      // The node has it already, or has mined it: the receipt check settles it next round.
      const message = error instanceof Error ? error.message : String(error);
      if (!/already known|nonce too low|known transaction/i.test(message)) throw error;
    }
    this.onStep('broadcast');
  }

  private async receiptOf(hash: Hex) {
    try {
      return await this.options.client.getTransactionReceipt({ hash });
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionReceiptNotFoundError') return undefined;
      throw error;
    }
  }

  /** Why a mined transaction reverted, replayed on its parent block's state (a best guess, for the status). */
  private async revertReasonOf(entry: OutboxEntry, blockNumber: bigint): Promise<string> {
    try {
      await this.options.client.simulateContract({
        address: this.options.contract,
        abi: kycRegistryTokenAbi,
        functionName: 'applyChanges',
        args: [assetKey(this.options.asset), BigInt(entry.fromSeq), entry.ops],
        account: this.options.signer.address,
        blockNumber: blockNumber - 1n,
      });
      return 'not reproducible on the parent block: out of gas or an earlier transaction in its block';
    } catch (error) {
      const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
      if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
        return `${reverted.data.errorName}(${(reverted.data.args ?? []).map(String).join(', ')})`;
      }
      return error instanceof Error ? error.message.split('\n')[0] ?? 'unknown' : String(error);
    }
  }

  private readAppliedSeq(): Promise<bigint> {
    return this.options.client.readContract({
      address: this.options.contract,
      abi: kycRegistryTokenAbi,
      functionName: 'appliedSeq',
      blockTag: 'latest',
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
