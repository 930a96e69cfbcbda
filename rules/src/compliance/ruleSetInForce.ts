import { toMillis } from './time';

/**
 * The version in force at `at`: the latest effectiveFrom that is not after `at`. A version
 * published with a future date therefore changes verdicts only from that date. Of versions with
 * the same effectiveFrom, the one listed last wins (versions are kept in publication order).
 */
export function ruleSetInForce<T extends { effectiveFrom: string }>(versions: T[], at: string): T | undefined {
  const atMs = toMillis(at);
  let best: T | undefined;
  let bestMs = -Infinity;
  for (const v of versions) {
    const from = toMillis(v.effectiveFrom);
    if (from <= atMs && from >= bestMs) {
      best = v;
      bestMs = from;
    }
  }
  return best;
}
