import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One line of a bank's recent verifications: the verdict without any disclosed value. */
export interface RecentVerification {
  sessionId: string;
  state: 'verified' | 'rejected' | 'refused';
  decidedAt: string;
  verified: boolean;
  /** Reason codes only. */
  reasons: string[];
  attestationId?: string;
  address?: string;
  receiptTransactionId?: string;
}

/**
 * What is written to disk: the verdict without the customer's address (the gateway persists no
 * personal data; the address stays in memory, and in the bank's consent receipt on its own peer).
 */
function onDisk(item: RecentVerification): RecentVerification {
  const { address: _address, ...rest } = item;
  return rest;
}

/** Verdicts kept at most. */
export const RECENT_VERIFICATIONS_KEPT = 1000;

/**
 * The most recent verdicts this gateway instance decided, newest last in memory. With a file
 * (under the gateway's data dir) each verdict is appended as a JSON line and the file is
 * rewritten to the newest {@link RECENT_VERIFICATIONS_KEPT} when it holds twice as many, so it stays
 * bounded and survives a restart (without the addresses). No disclosed value is ever kept.
 */
export class RecentVerifications {
  #items: RecentVerification[] = [];
  #linesInFile = 0;

  /**
   * @param onWriteError told when the file cannot be written (disk full, permissions): the verdict
   *   is already decided and on the ledger, so the request that made it must not fail for the list.
   */
  constructor(
    private readonly file?: string,
    private readonly kept = RECENT_VERIFICATIONS_KEPT,
    private readonly onWriteError: (error: unknown) => void = () => undefined,
  ) {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) {
      // A line cut short by a crash is skipped, not fatal.
      try {
        this.#items.push(JSON.parse(line) as RecentVerification);
      } catch {
        continue;
      }
    }
    this.#items = this.#items.slice(-kept);
    this.#linesInFile = lines.length;
  }

  add(item: RecentVerification): void {
    this.#items.push(item);
    if (this.#items.length > this.kept) this.#items.splice(0, this.#items.length - this.kept);
    if (!this.file) return;
    try {
      if (this.#linesInFile + 1 > 2 * this.kept) {
        const tmp = `${this.file}.tmp`;
        writeFileSync(tmp, this.#items.map((i) => `${JSON.stringify(onDisk(i))}\n`).join(''));
        renameSync(tmp, this.file);
        this.#linesInFile = this.#items.length;
      } else {
        appendFileSync(this.file, `${JSON.stringify(onDisk(item))}\n`);
        this.#linesInFile++;
      }
    } catch (error) {
      this.onWriteError(error);
    }
  }

  /** The newest `limit`, newest first. */
  list(limit: number): RecentVerification[] {
    return this.#items.slice(-limit).reverse();
  }
}
