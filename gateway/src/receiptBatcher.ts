import { canonicalize } from 'json-canonicalize';
import type { LedgerClient } from './fabricClient';
import { GatewayErrorCodes, isGatewayError } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';

/** A consent receipt as `consent:record` takes it (hashes and the address only). */
export interface ReceiptInput {
  sessionIdHash: string;
  subject: string;
  attestationId: string;
  result: 'verified' | 'rejected';
  reasons: string[];
  consentHash: string;
}

/** Records receipts in batches; each caller waits for the commit of the batch holding its receipt. */
export interface ReceiptBatcher {
  record(receipt: ReceiptInput): Promise<{ transactionId: string }>;
  /** Flushes what is queued and waits for it. */
  drain(): Promise<void>;
}

export interface ReceiptBatcherOptions {
  /** Most receipts in one transaction (default 500). */
  maxBatch?: number;
  /** Longest a receipt waits for others before its batch is sent (default 50 ms). */
  maxDelayMs?: number;
}

interface Pending {
  receipt: ReceiptInput;
  resolve(value: { transactionId: string }): void;
  reject(error: unknown): void;
}

/**
 * One transaction per verification caps a bank at the ledger's transaction rate; batching lets it
 * verify far faster while no verdict is answered before its receipt is on the ledger. A receipt for
 * a session the ledger already has (SESSION_ALREADY_USED) fails alone; the rest of its batch is
 * submitted again without it.
 */
export function createReceiptBatcher(ledger: LedgerClient, options: ReceiptBatcherOptions = {}): ReceiptBatcher {
  const maxBatch = options.maxBatch ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 50;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  async function submit(batch: Pending[]): Promise<void> {
    let remaining = batch;
    while (remaining.length > 0) {
      try {
        const { transactionId } = await ledger.submit<unknown>(F.CONSENT_RECORD_BATCH, [canonicalize(remaining.map((p) => p.receipt))]);
        for (const p of remaining) p.resolve({ transactionId });
        return;
      } catch (error) {
        const used = isGatewayError(error, GatewayErrorCodes.SESSION_ALREADY_USED) ? usedHashes(error.details) : [];
        const culprits = remaining.filter((p) => used.includes(p.receipt.sessionIdHash));
        if (culprits.length === 0) {
          for (const p of remaining) p.reject(error);
          return;
        }
        for (const p of culprits) p.reject(error);
        remaining = remaining.filter((p) => !culprits.includes(p));
      }
    }
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const done = submit(batch).finally(() => inFlight.delete(done));
    inFlight.add(done);
  }

  return {
    record(receipt) {
      return new Promise((resolve, reject) => {
        queue.push({ receipt, resolve, reject });
        if (queue.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, maxDelayMs);
      });
    },
    async drain() {
      flush();
      await Promise.all([...inFlight]);
    },
  };
}

/** The session hashes a SESSION_ALREADY_USED error names (single receipt or a batch). */
function usedHashes(details: unknown): string[] {
  if (!details || typeof details !== 'object') return [];
  const d = details as { sessionIdHash?: unknown; sessionIdHashes?: unknown };
  if (typeof d.sessionIdHash === 'string') return [d.sessionIdHash];
  return Array.isArray(d.sessionIdHashes) ? d.sessionIdHashes.filter((h): h is string => typeof h === 'string') : [];
}
