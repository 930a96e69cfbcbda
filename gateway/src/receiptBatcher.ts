import { canonicalize } from 'json-canonicalize';
import type { LedgerClient } from './fabricClient';
import { GatewayError, GatewayErrorCodes, isGatewayError } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';

/** A consent receipt as `consent:recordBatch` takes it in its transient map (hashes and the address only). */
export interface ReceiptInput {
  sessionIdHash: string;
  subject: string;
  attestationId: string;
  result: 'verified' | 'rejected';
  reasons: string[];
  consentHash: string;
  /** 32 random bytes (hex) so the receipt's on-chain hash cannot confirm a guess of its content. */
  salt: string;
}

/** The transient-map field `consent:recordBatch` reads its receipts from. */
export const RECEIPTS_TRANSIENT_KEY = 'receipts';

/** One receipt's outcome as `consent:recordBatch` reports it, in input order. */
type ReceiptOutcome = { recorded: true } | { recorded: false; code: string; fields?: string[] };

/** Records receipts in batches; each caller waits for the commit of the batch holding its receipt. */
export interface ReceiptBatcher {
  /** Resolves once the receipt is committed; rejects with this receipt's own error only. */
  record(receipt: ReceiptInput): Promise<{ transactionId: string }>;
  /** Flushes what is queued and waits for it. */
  drain(): Promise<void>;
}

export interface ReceiptBatcherOptions {
  /** Most receipts in one transaction (default 500). */
  maxBatch?: number;
  /** Longest a receipt waits for others before its batch is sent (default 50 ms). */
  maxDelayMs?: number;
  /** Times a batch invalidated by a read conflict is sent again (default 3). */
  maxConflictRetries?: number;
}

interface Pending {
  receipt: ReceiptInput;
  resolve(value: { transactionId: string }): void;
  reject(error: unknown): void;
}

/**
 * One transaction per verification caps a bank at the ledger's transaction rate; batching lets it
 * verify far faster while no verdict is answered before its receipt is on the ledger.
 *
 * Receipts go to the chaincode in the transient map and are endorsed by `mspId`'s peers only: they
 * are written to the bank's implicit private data collection, whose policy needs just those peers,
 * and no other org's peer ever sees them. The chaincode answers each receipt's outcome; a receipt
 * that fails (session already used by this bank, bad input) fails alone, its batch-mates commit.
 *
 * Several gateway instances of one bank record receipts concurrently. When two of them take the
 * same session at once, both batches are endorsed before either commits, and Fabric invalidates
 * the later one as a whole (MVCC_READ_CONFLICT on the receipt's key), failing its innocent
 * batch-mates with it. Such a batch is sent again: the duplicate then fails alone with
 * SESSION_ALREADY_USED and the others commit.
 */
export function createReceiptBatcher(ledger: LedgerClient, mspId: string, options: ReceiptBatcherOptions = {}): ReceiptBatcher {
  const maxBatch = options.maxBatch ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 50;
  const maxConflictRetries = options.maxConflictRetries ?? 3;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  /** Submits a batch, again while a concurrent transaction invalidates it (a read conflict). */
  async function submitRetrying(transientData: Record<string, Uint8Array>) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await ledger.submit<{ results?: unknown }>(F.CONSENT_RECORD_BATCH, [], { endorsingOrganizations: [mspId], transientData });
      } catch (error) {
        if (!isGatewayError(error, GatewayErrorCodes.CONFLICT) || attempt >= maxConflictRetries) throw error;
      }
    }
  }

  async function submit(batch: Pending[]): Promise<void> {
    const transientData = { [RECEIPTS_TRANSIENT_KEY]: Buffer.from(canonicalize(batch.map((p) => p.receipt))) };
    let settle: (p: Pending, outcome: ReceiptOutcome | undefined) => void;
    let outcomes: unknown;
    try {
      const { result, transactionId } = await submitRetrying(transientData);
      outcomes = result?.results;
      settle = (p, outcome) => (outcome?.recorded ? p.resolve({ transactionId }) : p.reject(itemError(outcome, transactionId)));
    } catch (error) {
      // When no receipt of the batch could be recorded the chaincode fails the whole transaction,
      // naming each receipt's outcome; any other failure (ledger down, timeout) is every receipt's.
      outcomes = isGatewayError(error) ? (error.details as { results?: unknown } | undefined)?.results : undefined;
      settle = (p, outcome) => p.reject(outcome && !outcome.recorded ? itemError(outcome, undefined, error) : error);
      if (!Array.isArray(outcomes) || outcomes.length !== batch.length) {
        for (const p of batch) p.reject(error);
        return;
      }
    }
    if (!Array.isArray(outcomes) || outcomes.length !== batch.length) {
      const error = new GatewayError(GatewayErrorCodes.INTERNAL, 'the ledger answered a receipt batch without one outcome per receipt');
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => settle(p, outcomes[i] as ReceiptOutcome | undefined));
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

/** The error of one receipt the chaincode did not record, coded as the chaincode coded it. */
function itemError(outcome: ReceiptOutcome | undefined, transactionId: string | undefined, cause?: unknown): GatewayError {
  const failed = outcome && !outcome.recorded ? outcome : undefined;
  const code = failed?.code ?? GatewayErrorCodes.INTERNAL;
  const message = code === GatewayErrorCodes.SESSION_ALREADY_USED ? 'this bank has a receipt for the session already' : 'the consent receipt was not recorded';
  return new GatewayError(code, message, {
    ...(failed?.fields && { details: { fields: failed.fields } }),
    ...(transactionId && { transactionId }),
    ...(cause !== undefined && { cause }),
  });
}
