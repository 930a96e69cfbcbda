import type { RuleSet, TransferCheckInput, TransferVerdict } from './compliance';

/** A published rule set version: kept forever, identified by the hash of its canonical content. */
export interface StoredRuleSet {
  hash: string;
  ruleSet: RuleSet;
  publishedAt: string;
  publishedBy: string;
}

/**
 * A recorded transfer decision (in the issuer's collection): the inputs the engine saw and its
 * verdict, so anyone holding the inputs can replay it with the same engine version.
 */
export interface Decision {
  id: string;
  asset: string;
  recordedAt: string;
  input: TransferCheckInput;
  verdict: TransferVerdict;
}
