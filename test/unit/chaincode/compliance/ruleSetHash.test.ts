import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { canonicalJson } from '@kyc-ledger/chaincode';
import { inputsHash, ruleSetHash, type RuleSet, type TransferCheckInput } from '@kyc-ledger/chaincode/dist/compliance';
import { transfer } from '../../../support/complianceFixtures';

/** Reverses key order at every level, to show that hashes do not depend on it. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]));
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** An independent sha256 (Node's OpenSSL) to check the engine's. */
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('ruleSetHash and inputsHash', function () {
  const ruleSet: RuleSet = {
    kind: 'securities',
    scope: 'ACME-REG-D-1',
    effectiveFrom: '2026-03-01T00:00:00Z',
    rules: { holderCaps: { total: 99, byCountry: { US: 35, DE: 10 } }, lockUp: { periods: [{ jurisdictions: ['US'], days: 365 }] } },
  };

  it('is sha256 of the canonical JSON, independent of key order', function () {
    const expected = sha256Hex(canonicalJson(ruleSet));
    expect(ruleSetHash(ruleSet)).to.equal(expected);
    const reordered = reversedKeys(ruleSet) as RuleSet;
    expect(JSON.stringify(reordered)).to.not.equal(JSON.stringify(ruleSet));
    expect(ruleSetHash(reordered)).to.equal(expected);
  });

  it('changes with any rule, including the order of list entries', function () {
    expect(ruleSetHash({ ...ruleSet, rules: { ...ruleSet.rules, holderCaps: { total: 100 } } })).to.not.equal(ruleSetHash(ruleSet));
    expect(ruleSetHash({ ...ruleSet, effectiveFrom: '2026-03-02T00:00:00Z' })).to.not.equal(ruleSetHash(ruleSet));
    const periods = (jurisdictions: string[]) => ({ ...ruleSet, rules: { lockUp: { periods: [{ jurisdictions, days: 365 }] } } });
    expect(ruleSetHash(periods(['US', 'CA']))).to.not.equal(ruleSetHash(periods(['CA', 'US'])));
  });

  it('hashes an object again after it changed, unless it is deeply frozen', function () {
    const mutable = structuredClone(ruleSet) as RuleSet & { rules: { holderCaps: { total: number } } };
    const before = ruleSetHash(mutable);
    mutable.rules.holderCaps.total = 98;
    expect(ruleSetHash(mutable)).to.equal(sha256Hex(canonicalJson(mutable)));
    expect(ruleSetHash(mutable)).to.not.equal(before);
    // Frozen on top only: its parts can still change, so its hash is not remembered.
    const shallow = Object.freeze(structuredClone(ruleSet)) as RuleSet & { rules: { holderCaps: { total: number } } };
    ruleSetHash(shallow);
    shallow.rules.holderCaps.total = 97;
    expect(ruleSetHash(shallow)).to.equal(sha256Hex(canonicalJson(shallow)));
    const frozen = deepFreeze(structuredClone(ruleSet));
    expect(ruleSetHash(frozen)).to.equal(ruleSetHash(frozen)).and.to.equal(sha256Hex(canonicalJson(ruleSet)));
  });

  it('hashes transfer inputs the same way', function () {
    const input = transfer();
    expect(inputsHash(input)).to.equal(sha256Hex(canonicalJson(input)));
    expect(inputsHash(reversedKeys(input) as TransferCheckInput)).to.equal(inputsHash(input));
    expect(inputsHash({ ...input, at: '2026-03-01T00:00:01Z' })).to.not.equal(inputsHash(input));
  });
});
