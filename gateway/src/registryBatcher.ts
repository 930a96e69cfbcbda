import { canonicalize } from 'json-canonicalize';
import type { Registration, RegistryAction, RegistryActionOutcome, RegistryBatchResult } from '@kyc-ledger/api';
import { MAX_REGISTRY_BATCH } from '@kyc-ledger/api';
import type { LedgerClient } from './fabricClient';
import { GatewayError, GatewayErrorCodes, isGatewayError } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';

/** One registry write's answer: the committed transaction and the registration it wrote. */
export interface RegistryWrite {
  transactionId: string;
  result: Registration;
}

/** Submits an asset's registry writes in batches; each caller waits for its own action's outcome. */
export interface RegistryBatcher {
  /** Resolves once the action is committed; rejects with this action's own error only. */
  apply(asset: string, action: RegistryAction): Promise<RegistryWrite>;
  /** Flushes what is queued and waits for every batch, queued ones included. */
  drain(): Promise<void>;
}

export interface RegistryBatcherOptions {
  /** Most actions in one transaction (default and most: the chaincode's MAX_REGISTRY_BATCH). */
  maxBatch?: number;
  /** Longest an action waits for others before its batch is sent (default 10 ms). */
  maxDelayMs?: number;
  /** Submissions of one batch in all, when it keeps losing MVCC races (default 5). */
  attempts?: number;
  /** Told the block of each committed batch (the issuer's transfer-check view waits for it). */
  committed?(blockNumber: bigint): void;
}

interface Pending {
  action: RegistryAction;
  resolve(value: RegistryWrite): void;
  reject(error: unknown): void;
}

interface AssetQueue {
  queue: Pending[];
  timer?: NodeJS.Timeout;
  /** The batch being submitted; one at a time per asset, as two would conflict on the asset's head. */
  inFlight?: Promise<void>;
}

/**
 * Every registry write of an asset takes the asset's next sequence number, so two transactions of
 * one asset in the same block conflict (MVCC) and only one commits: one write per asset per block.
 * The batcher coalesces concurrent writes of an asset into one `registration:batch` transaction,
 * keeps one batch per asset in flight (requests arriving meanwhile form the next batch), and
 * submits a batch again when it lost an MVCC race to a write from elsewhere. The chaincode checks
 * each action on its own and answers each outcome; an action that fails does so alone.
 */
export function createRegistryBatcher(ledger: LedgerClient, options: RegistryBatcherOptions = {}): RegistryBatcher {
  const maxBatch = Math.min(options.maxBatch ?? MAX_REGISTRY_BATCH, MAX_REGISTRY_BATCH);
  const maxDelayMs = options.maxDelayMs ?? 10;
  const attempts = options.attempts ?? 5;
  const assets = new Map<string, AssetQueue>();

  async function submit(asset: string, batch: Pending[]): Promise<void> {
    const arg = canonicalize({ asset, actions: batch.map((p) => p.action) });
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, transactionId, blockNumber } = await ledger.submit<RegistryBatchResult>(F.REGISTRATION_BATCH, [arg]);
        settle(batch, result?.results, transactionId);
        try {
          if (blockNumber !== undefined) options.committed?.(blockNumber);
        } catch {
          // A notification only: the batch is committed and already answered.
        }
        return;
      } catch (error) {
        if (lostRace(error) && attempt < attempts) continue;
        // When no action could be applied the chaincode fails the transaction, naming each outcome.
        const results = isGatewayError(error) ? (error.details as { results?: unknown } | undefined)?.results : undefined;
        if (!lostRace(error) && Array.isArray(results) && results.length === batch.length) settle(batch, results, undefined, error);
        else for (const p of batch) p.reject(error);
        return;
      }
    }
  }

  function flush(asset: string): void {
    const state = assets.get(asset);
    if (!state || state.inFlight) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    const batch = state.queue.splice(0, maxBatch);
    if (batch.length === 0) {
      assets.delete(asset);
      return;
    }
    // Whatever escapes submit (a malformed answer) fails this batch's requests, never the process.
    state.inFlight = submit(asset, batch).catch((error: unknown) => {
      for (const p of batch) p.reject(error);
    }).finally(() => {
      state.inFlight = undefined;
      // What queued meanwhile goes at once: it has waited for a whole commit already.
      flush(asset);
    });
  }

  return {
    apply(asset, action) {
      return new Promise((resolve, reject) => {
        let state = assets.get(asset);
        if (!state) assets.set(asset, (state = { queue: [] }));
        state.queue.push({ action, resolve, reject });
        if (state.inFlight) return;
        if (state.queue.length >= maxBatch) flush(asset);
        else state.timer ??= setTimeout(() => flush(asset), maxDelayMs);
      });
    },
    async drain() {
      while (assets.size > 0) {
        for (const asset of [...assets.keys()]) flush(asset);
        await Promise.all([...assets.values()].map((s) => s.inFlight));
      }
    },
  };
}

/** An MVCC conflict at commit: nothing of the batch was written, so it may be submitted again. */
function lostRace(error: unknown): boolean {
  return isGatewayError(error) && error.code === GatewayErrorCodes.CONFLICT && (error.details as { validationCode?: unknown } | undefined)?.validationCode !== undefined;
}

/** Answers each waiting request with its own action's outcome. */
function settle(batch: Pending[], outcomes: unknown, transactionId: string | undefined, cause?: unknown): void {
  if (!Array.isArray(outcomes) || outcomes.length !== batch.length) {
    const error = new GatewayError(GatewayErrorCodes.INTERNAL, 'the ledger answered a registry batch without one outcome per action', { ...(transactionId && { transactionId }) });
    for (const p of batch) p.reject(error);
    return;
  }
  batch.forEach((p, i) => {
    const outcome = outcomes[i] as RegistryActionOutcome;
    if (outcome.ok && transactionId) p.resolve({ transactionId, result: outcome.registration });
    else if (!outcome.ok) {
      p.reject(new GatewayError(outcome.code, outcome.message, {
        ...(outcome.details !== undefined && { details: outcome.details }),
        ...(transactionId && { transactionId }),
        ...(cause !== undefined && { cause }),
      }));
    } else p.reject(cause);
  });
}
