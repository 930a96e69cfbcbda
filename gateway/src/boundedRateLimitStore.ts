import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { LRUCache } from 'lru-cache';

interface Window {
  hits: number;
  resetAt: number;
}

/**
 * An express-rate-limit store that counts fixed windows in an LRU cache of at most `maxClients`
 * entries, so a flood of new addresses cannot grow the gateway's memory. When full it forgets the
 * client seen least recently; that client's count starts again, which can only let it through
 * sooner, never block anyone else.
 */
export class BoundedRateLimitStore implements Store {
  /** Counts live in this process only (express-rate-limit checks stores are not shared). */
  readonly localKeys = true;
  readonly #windows: LRUCache<string, Window>;
  readonly #now: () => number;
  #windowMs = 60_000;

  constructor(maxClients: number, now: () => number = Date.now) {
    this.#now = now;
    // No ttl: expiry is checked on each hit, and the LRU bound alone caps memory.
    this.#windows = new LRUCache<string, Window>({ max: maxClients });
  }

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  /** How many clients are remembered (tests). */
  get size(): number {
    return this.#windows.size;
  }

  get(key: string): ClientRateLimitInfo | undefined {
    const window = this.#current(key, false);
    return window && { totalHits: window.hits, resetTime: new Date(window.resetAt) };
  }

  increment(key: string): ClientRateLimitInfo {
    const window = this.#current(key, true) as Window;
    window.hits += 1;
    return { totalHits: window.hits, resetTime: new Date(window.resetAt) };
  }

  decrement(key: string): void {
    const window = this.#current(key, false);
    if (window && window.hits > 0) window.hits -= 1;
  }

  resetKey(key: string): void {
    this.#windows.delete(key);
  }

  resetAll(): void {
    this.#windows.clear();
  }

  #current(key: string, create: boolean): Window | undefined {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window && window.resetAt <= now) window = undefined;
    if (!window && create) {
      window = { hits: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, window);
    }
    return window;
  }
}
