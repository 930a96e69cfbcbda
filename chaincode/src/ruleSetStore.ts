import type { Context } from 'fabric-contract-api';
import { ruleSetHash, ruleSetInForce, validateRuleSet, type RuleSet } from './compliance';
import { ChaincodeError, ErrorCodes } from './errors';
import { readIndex, readJson, writeJson, ObjectTypes } from './state';

import type { StoredRuleSet } from '@kyc-ledger/rules';

export type { StoredRuleSet };

/** The storage key of an effective date: the same instant always gives the same key. */
function instantKey(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}

/** Validates a rule set, listing every problem in one INVALID_ARGUMENT error. */
export function parseRuleSet(input: unknown): RuleSet {
  const result = validateRuleSet(input);
  if (!result.ok) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid rule set', { problems: result.problems });
  return result.ruleSet;
}

/**
 * Stores a new version. Versions never take effect in the past (a recorded decision must replay
 * with the rules that were in force), and one scope has at most one version per instant.
 * Republishing identical content is a no-op.
 */
export async function publishRuleSet(ctx: Context, ruleSet: RuleSet, now: string, publishedBy: string): Promise<{ stored: StoredRuleSet; unchanged: boolean }> {
  const hash = ruleSetHash(ruleSet);
  // Keyed by the instant, not its spelling: "…00Z" and "…00.000Z" are one version slot.
  const at = instantKey(ruleSet.effectiveFrom);
  const existing = await readJson<StoredRuleSet>(ctx, ObjectTypes.RULE_SET, ruleSet.kind, ruleSet.scope, at);
  if (existing) {
    if (existing.hash === hash) return { stored: existing, unchanged: true };
    throw new ChaincodeError(ErrorCodes.CONFLICT, `a different rule set for ${ruleSet.scope} already takes effect at ${ruleSet.effectiveFrom}`, { hash: existing.hash });
  }
  if (Date.parse(ruleSet.effectiveFrom) < Date.parse(now)) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'a rule set cannot take effect in the past', {
      problems: [`effectiveFrom: ${ruleSet.effectiveFrom} is before the transaction time ${now}`],
    });
  }
  const stored: StoredRuleSet = { hash, ruleSet, publishedAt: now, publishedBy };
  await writeJson(ctx, stored, ObjectTypes.RULE_SET, ruleSet.kind, ruleSet.scope, at);
  await writeJson(ctx, { kind: ruleSet.kind, scope: ruleSet.scope, effectiveFrom: at }, ObjectTypes.RULE_SET_BY_HASH, hash);
  return { stored, unchanged: false };
}

/** Every version of a scope, oldest first. */
export async function ruleSetVersions(ctx: Context, kind: RuleSet['kind'], scope: string): Promise<StoredRuleSet[]> {
  const froms = await readIndex(ctx, ObjectTypes.RULE_SET, kind, scope);
  const versions: StoredRuleSet[] = [];
  for (const from of froms) {
    const v = await readJson<StoredRuleSet>(ctx, ObjectTypes.RULE_SET, kind, scope, from);
    if (v) versions.push(v);
  }
  return versions.sort((a, b) => Date.parse(a.ruleSet.effectiveFrom) - Date.parse(b.ruleSet.effectiveFrom));
}

/** The version in force at `at`, if any. */
export async function ruleSetAt(ctx: Context, kind: RuleSet['kind'], scope: string, at: string): Promise<StoredRuleSet | undefined> {
  const versions = await ruleSetVersions(ctx, kind, scope);
  const inForce = ruleSetInForce(versions.map((v) => ({ effectiveFrom: v.ruleSet.effectiveFrom, v })), at);
  return inForce?.v;
}

export async function ruleSetByHash(ctx: Context, hash: string): Promise<StoredRuleSet | undefined> {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid rule set hash', { problems: ['hash: must be 64 lower-case hex digits'] });
  const where = await readJson<{ kind: string; scope: string; effectiveFrom: string }>(ctx, ObjectTypes.RULE_SET_BY_HASH, hash);
  return where ? readJson<StoredRuleSet>(ctx, ObjectTypes.RULE_SET, where.kind, where.scope, where.effectiveFrom) : undefined;
}
