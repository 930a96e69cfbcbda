import type { Verdict } from './sessionStore';

/** A consent receipt as `consent:get` answers it (the fields a verdict is read from). */
export interface LedgerReceipt {
  result: 'verified' | 'rejected';
  reasons: string[];
  subject: string;
  attestationId: string;
  txId: string;
  recordedAt: string;
}

/**
 * The verdict as the ledger knows it, for an instance that did not take the submission: the
 * receipt holds reason codes only (their messages and the disclosed values stayed with the
 * instance that verified).
 */
export function verdictFromReceipt(receipt: LedgerReceipt): Verdict {
  return {
    verified: receipt.result === 'verified',
    reasons: receipt.reasons.map((code) => ({ code, message: `${code} (recorded in the consent receipt; the message stayed with the gateway instance that verified)` })),
    address: receipt.subject,
    attestationId: receipt.attestationId,
    receiptTransactionId: receipt.txId,
    decidedAt: receipt.recordedAt,
  };
}
