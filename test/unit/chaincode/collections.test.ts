import { expect } from 'chai';
import { investorCollection, issuerCollection, parseErrorBody } from '@kyc-ledger/chaincode';

/**
 * Fabric v3.1.1's rule for collection names, as stated in core/chaincode/lifecycle/scc.go
 * (collectionNameRegExp); a definition with any other name is refused at approve time.
 */
const FABRIC_COLLECTION_NAME = /^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$/;

/** MSP IDs the helpers must handle (the task's rule; wider than network.yaml's). */
const MSP_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-';

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomMspIds(count: number, seed: number): string[] {
  const next = prng(seed);
  const pick = (alphabet: string) => alphabet[Math.floor(next() * alphabet.length)] ?? '';
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(next() * 64);
    // Bias towards the characters that need encoding, which random letters would rarely hit.
    const rest = Array.from({ length: length - 1 }, () => (next() < 0.4 ? pick('._-') : pick(MSP_ID_CHARS))).join('');
    return pick(MSP_ID_CHARS.slice(0, 62)) + rest;
  });
}

/** IDs chosen to collide under a careless encoding (escape sequences spelled out, separators, edges). */
const TRICKY = ['a', 'a.b', 'a_b', 'a-b', 'a_2eb', 'a_5fb', '2eb', '5f', 'a__b', 'a..b', 'a._', '0', 'A', 'x'.repeat(64), `a${'.'.repeat(63)}`, `b${'_'.repeat(63)}`];

/** Inverts the documented encoding; if every name decodes back to its inputs, no two inputs share a name. */
function decode(name: string): string[] {
  const [kind, ...parts] = name.split('__');
  return [kind ?? '', ...parts.map((p) => p.replace(/_([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))))];
}

function rejectionCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return parseErrorBody((error as Error).message)?.code;
  }
  return undefined;
}

describe('private data collection names', function () {
  it('names the default network\'s collections readably', function () {
    expect(issuerCollection('Issuer1MSP')).to.equal('issuer__Issuer1MSP');
    expect(investorCollection('Issuer1MSP', 'Certifier1MSP')).to.equal('investor__Issuer1MSP__Certifier1MSP');
  });

  it('encodes "." and "_", which Fabric does not allow or uses as the escape, and keeps "-"', function () {
    expect(issuerCollection('org1.example-MSP')).to.equal('issuer__org1_2eexample-MSP');
    expect(investorCollection('Iss_1', 'Cert.1')).to.equal('investor__Iss_5f1__Cert_2e1');
  });

  it('passes Fabric\'s collection-name rule for every valid MSP ID, including the longest and oddest', function () {
    const ids = [...TRICKY, ...randomMspIds(500, 7)];
    for (const id of ids) {
      expect(issuerCollection(id), id).to.match(FABRIC_COLLECTION_NAME);
      for (const other of TRICKY) expect(investorCollection(id, other), `${id} × ${other}`).to.match(FABRIC_COLLECTION_NAME);
    }
  });

  it('gives distinct inputs distinct names: every name decodes back to exactly its MSP IDs', function () {
    const ids = [...TRICKY, ...randomMspIds(300, 11)];
    const random = randomMspIds(300, 13);
    for (const [i, issuer] of ids.entries()) {
      expect(decode(issuerCollection(issuer))).to.deep.equal(['issuer', issuer]);
      const certifier = random[i] ?? 'Certifier1MSP';
      expect(decode(investorCollection(issuer, certifier))).to.deep.equal(['investor', issuer, certifier]);
    }
    const names = new Set<string>();
    for (const a of TRICKY) {
      names.add(issuerCollection(a));
      for (const b of TRICKY) names.add(investorCollection(a, b));
    }
    expect(names.size).to.equal(TRICKY.length + TRICKY.length ** 2);
  });

  it('depends on the order of the pair: the issuer comes first', function () {
    expect(investorCollection('A', 'B')).to.not.equal(investorCollection('B', 'A'));
  });

  it('refuses what is not an MSP ID with INVALID_ARGUMENT instead of inventing a name', function () {
    for (const bad of ['', '_a', '.a', '-a', 'a b', 'a$', 'Bänk', 'x'.repeat(65)]) {
      expect(rejectionCode(() => issuerCollection(bad)), bad).to.equal('INVALID_ARGUMENT');
      expect(rejectionCode(() => investorCollection('Issuer1MSP', bad)), bad).to.equal('INVALID_ARGUMENT');
    }
  });
});
