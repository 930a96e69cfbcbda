import { contentHash } from './contentHash';
import type { RuleSet } from './validateRuleSet';

/** Hashes of rule-set objects that can no longer change (every part frozen). */
const ofFrozen = new WeakMap<object, string>();

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

/**
 * A rule set version's identity: the hash of its canonical content, whatever its JSON formatting
 * or key order. The issuer gateway shares one deeply frozen object per stored version between
 * checks, so the hash of such an object is remembered; any other object is hashed every time.
 */
export function ruleSetHash(ruleSet: RuleSet): string {
  const known = ofFrozen.get(ruleSet);
  if (known !== undefined) return known;
  const hash = contentHash(ruleSet);
  // Freezing cannot be undone: an object deeply frozen now has this hash for good.
  if (isDeepFrozen(ruleSet)) ofFrozen.set(ruleSet, hash);
  return hash;
}
