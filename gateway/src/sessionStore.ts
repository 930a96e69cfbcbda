import type { BankSession } from '@kyc-ledger/crypto';

/** The outcome of one verification session, as the bank's back office reads it. */
export interface Verdict {
  verified: boolean;
  /** Every failing reason (empty when verified). */
  reasons: { code: string; message: string }[];
  address?: string;
  attestationId?: string;
  certifier?: string;
  /** The disclosed values; kept in memory only until the session is forgotten. */
  fields?: Record<string, string>;
  receiptTransactionId?: string;
  decidedAt: string;
  /**
   * Only in a sibling instance's answer about a session the person refused there (then there is
   * no verdict: `verified` is false and the only reason is REFUSED).
   */
  refusedAt?: string;
}

export interface SessionEntry {
  session: BankSession;
  /**
   * `consumed` from the moment a validly signed submission arrives, so a session works once;
   * `refused` when the person declined it (final: no submission is taken after).
   */
  state: 'open' | 'consumed' | 'refused';
  verdict?: Verdict;
  /** When the person refused (ISO 8601), for `refused` entries. */
  refusedAt?: string;
}

/** Called after a session's entry changed (used up, reopened, decided or refused). */
export type SessionListener = (entry: SessionEntry) => void;

/**
 * Open sessions in memory only. Nothing here outlives its session's expiry plus a grace period
 * (for the back office to fetch the verdict), and nothing is written to disk.
 */
export class SessionStore {
  readonly #entries = new Map<string, SessionEntry>();
  readonly #listeners = new Map<string, Set<SessionListener>>();
  /** When the store was last swept (ms): a sweep walks every session, so it runs at most once a second. */
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly graceMs: number, private readonly now: () => Date) {}

  /** Holds a session (open) and returns its entry, even one already past its grace period. */
  add(session: BankSession): SessionEntry {
    this.#sweep();
    const entry: SessionEntry = { session, state: 'open' };
    this.#entries.set(session.sessionId, entry);
    return entry;
  }

  get(sessionId: string): SessionEntry | undefined {
    this.#sweep();
    const entry = this.#entries.get(sessionId);
    // Between sweeps an entry past its grace period may still be held: it is gone all the same.
    if (entry && this.#forgotten(entry, this.now().getTime())) {
      this.#entries.delete(sessionId);
      return undefined;
    }
    return entry;
  }

  /** Marks a session used; false when it already was (a replay or a race). */
  consume(sessionId: string): boolean {
    const entry = this.#entries.get(sessionId);
    if (!entry || entry.state !== 'open') return false;
    entry.state = 'consumed';
    this.#changed(entry);
    return true;
  }

  /** Records the verdict of a used session. */
  decide(sessionId: string, verdict: Verdict): void {
    const entry = this.#entries.get(sessionId);
    if (!entry) return;
    entry.verdict = verdict;
    this.#changed(entry);
  }

  /** Marks an open session refused by the person; false when it is not open (used, refused or unknown). */
  refuse(sessionId: string): boolean {
    const entry = this.#entries.get(sessionId);
    if (!entry || entry.state !== 'open') return false;
    entry.state = 'refused';
    entry.refusedAt = this.now().toISOString();
    this.#changed(entry);
    return true;
  }

  /**
   * Calls `listener` after every change of the session's entry here (not for changes another
   * instance makes) until the returned function is called.
   */
  subscribe(sessionId: string, listener: SessionListener): () => void {
    let set = this.#listeners.get(sessionId);
    if (!set) this.#listeners.set(sessionId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(sessionId) === set) this.#listeners.delete(sessionId);
    };
  }

  #changed(entry: SessionEntry): void {
    for (const listener of [...(this.#listeners.get(entry.session.sessionId) ?? [])]) listener(entry);
  }

  /**
   * Opens a consumed session again after the ledger failed before its verdict: the person may
   * retry. Safe even if the receipt did commit, since the chaincode refuses a second one.
   */
  reopen(sessionId: string): void {
    const entry = this.#entries.get(sessionId);
    if (entry && entry.state === 'consumed' && !entry.verdict) {
      entry.state = 'open';
      this.#changed(entry);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #forgotten(entry: SessionEntry, nowMs: number): boolean {
    return Date.parse(entry.session.expiresAt) < nowMs - this.graceMs;
  }

  // Walking every session on every request cost a sixth of the bank gateway's CPU under load
  // (thousands of sessions held); once a second keeps memory bounded just as well.
  #sweep(): void {
    const nowMs = this.now().getTime();
    if (nowMs - this.#sweptAt < 1000) return;
    this.#sweptAt = nowMs;
    for (const [id, entry] of this.#entries) {
      if (this.#forgotten(entry, nowMs)) this.#entries.delete(id);
    }
  }
}
