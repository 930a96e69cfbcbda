import { contentHash } from './contentHash';
import type { RuleSet } from './validateRuleSet';

/** A rule set version's identity: the hash of its canonical content, whatever its JSON formatting or key order. */
export function ruleSetHash(ruleSet: RuleSet): string {
  return contentHash(ruleSet);
}
