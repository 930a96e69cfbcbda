// The bank gateway's answers the counter page reads (see the gateway's OpenAPI document).

export interface Reason {
  code: string;
  message: string;
}

export interface Verdict {
  verified: boolean;
  reasons: Reason[];
  address?: string;
  attestationId?: string;
  certifier?: string;
  /** The disclosed values (only from the gateway instance that took the submission). */
  fields?: Record<string, string>;
  receiptTransactionId?: string;
  decidedAt: string;
}

export type SessionState = 'open' | 'pending' | 'verified' | 'rejected' | 'refused' | 'expired';

/** `GET /v1/sessions/:id`, and the data of each `status` event. */
export interface SessionStatus {
  sessionId: string;
  state: SessionState;
  expiresAt?: string;
  refusedAt?: string;
  verdict?: Verdict;
  verdictSource?: 'memory' | 'ledger';
}

/** `POST /v1/sessions?qr=svg`. */
export interface SessionCreated {
  sessionId: string;
  expiresAt: string;
  uri: string;
  walletLink?: string;
  qr?: { svg?: string };
}

/** One row of `GET /v1/verifications`. */
export interface RecentVerification {
  sessionId: string;
  state: 'verified' | 'rejected' | 'refused';
  decidedAt: string;
  verified: boolean;
  reasons: string[];
  attestationId?: string;
  address?: string;
  receiptTransactionId?: string;
}
