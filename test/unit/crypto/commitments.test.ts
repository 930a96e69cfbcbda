import { cryptoErrorCode } from '../../support/cryptoErrorCode';
import { expect } from 'chai';
import { createHash, createHmac } from 'node:crypto';
import {
  commitFields,
  createDisclosure,
  CryptoError,
  duplicateMarker,
  verifyDisclosure,
  type Disclosure,
} from '@kyc-ledger/crypto';

const FIELDS = {
  givenName: 'Zoë',
  familyName: 'Müller',
  birthDate: '1990-02-28',
  nationality: 'DE',
  email: 'zoe@example.com',
};
const SALTS = Object.fromEntries(Object.keys(FIELDS).map((n, i) => [n, String(i + 1).padStart(2, '0').repeat(32)]));

/** Independent re-implementation of the layouts with node:crypto, to check the spec wording. */
function lp(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
const sha = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

const code = cryptoErrorCode;

describe('crypto: commitments', () => {
  const commitment = commitFields(FIELDS, SALTS);

  it('matches an independent implementation of the leaf and root layouts', () => {
    const names = Object.keys(FIELDS).sort();
    const leaves = names.map((n) =>
      sha(Buffer.concat([lp('kyc-ledger:leaf:v1'), lp(n), Buffer.from(SALTS[n] as string, 'hex'), lp(commitment.canonical[n] as string)])),
    );
    names.forEach((n, i) => expect(commitment.leaves[n]).to.equal((leaves[i] as Buffer).toString('hex')));
    const count = Buffer.alloc(4);
    count.writeUInt32BE(names.length);
    const root = sha(Buffer.concat([lp('kyc-ledger:root:v1'), count, ...names.flatMap((n, i) => [lp(n), leaves[i] as Buffer])]));
    expect(commitment.root).to.equal(root.toString('hex'));
  });

  it('does not depend on the order fields are given in', () => {
    const reversed = Object.fromEntries(Object.entries(FIELDS).reverse());
    expect(commitFields(reversed, SALTS).root).to.equal(commitment.root);
  });

  it('draws fresh 32-byte salts when none are given', () => {
    const a = commitFields(FIELDS);
    const b = commitFields(FIELDS);
    expect(a.root).to.not.equal(b.root);
    for (const salt of Object.values(a.salts)) expect(salt).to.match(/^[0-9a-f]{64}$/);
  });

  it('rejects bad salts, salts for absent fields and empty commitments', () => {
    expect(code(() => commitFields(FIELDS, { ...SALTS, givenName: 'ab' }))).to.equal('INVALID_SALT');
    expect(code(() => commitFields(FIELDS, { ...SALTS, taxId: '00'.repeat(32) }))).to.equal('INVALID_SALT');
    expect(code(() => commitFields({}))).to.equal('INVALID_COMMITMENT');
    expect(code(() => commitFields({ birthDate: '2023-02-30' }))).to.equal('INVALID_FIELD_VALUE');
  });

  describe('disclosure', () => {
    const disclosure = createDisclosure(commitment, ['birthDate', 'nationality']);

    it('discloses the chosen fields and only leaves of the others', () => {
      expect(Object.keys(disclosure.disclosed)).to.deep.equal(['birthDate', 'nationality']);
      expect(Object.keys(disclosure.leaves)).to.deep.equal(['email', 'familyName', 'givenName']);
      expect(JSON.stringify(disclosure)).to.not.contain('Müller');
    });

    it('verifies and returns canonical values', () => {
      expect(verifyDisclosure(commitment.root, disclosure, ['birthDate', 'nationality'])).to.deep.equal({
        ok: true,
        values: { birthDate: '1990-02-28', nationality: 'DE' },
      });
      const lower: Disclosure = { ...disclosure, disclosed: { ...disclosure.disclosed, nationality: { value: ' de ', salt: SALTS['nationality'] as string } } };
      expect(verifyDisclosure(commitment.root, lower)).to.deep.include({ ok: true });
    });

    it('fails with FIELD_NOT_DISCLOSED when a required field is only a leaf', () => {
      const r = verifyDisclosure(commitment.root, disclosure, ['birthDate', 'familyName']);
      expect(r).to.deep.include({ ok: false, reason: 'FIELD_NOT_DISCLOSED' });
    });

    it('fails with DISCLOSURE_MISMATCH for another value, salt, leaf, root or a dropped field', () => {
      const d = disclosure.disclosed;
      const variants: Disclosure[] = [
        { ...disclosure, disclosed: { ...d, birthDate: { value: '1990-02-27', salt: (d['birthDate'] as { salt: string }).salt } } },
        { ...disclosure, disclosed: { ...d, birthDate: { value: '1990-02-28', salt: '99'.repeat(32) } } },
        { ...disclosure, leaves: { ...disclosure.leaves, email: '00'.repeat(32) } },
        { disclosed: d, leaves: { givenName: disclosure.leaves['givenName'] as string } },
        { disclosed: { birthDate: d['birthDate'] as { value: string; salt: string } }, leaves: { ...disclosure.leaves, nationality: commitment.leaves['birthDate'] as string } },
      ];
      for (const v of variants) expect(verifyDisclosure(commitment.root, v)).to.deep.include({ ok: false, reason: 'DISCLOSURE_MISMATCH' });
      expect(verifyDisclosure('00'.repeat(32), disclosure)).to.deep.include({ ok: false, reason: 'DISCLOSURE_MISMATCH' });
    });

    it('fails with INVALID_DISCLOSURE when a field is both disclosed and a leaf, or the shape is wrong', () => {
      const both = { ...disclosure, leaves: { ...disclosure.leaves, birthDate: commitment.leaves['birthDate'] as string } };
      expect(verifyDisclosure(commitment.root, both)).to.deep.include({ ok: false, reason: 'INVALID_DISCLOSURE' });
      for (const bad of [null, {}, { disclosed: {}, leaves: {} }, { ...disclosure, extra: 1 }, { ...disclosure, leaves: { Email: '00'.repeat(32) } }]) {
        expect(verifyDisclosure(commitment.root, bad)).to.deep.include({ ok: false, reason: 'INVALID_DISCLOSURE' });
      }
    });

    it('fails with INVALID_FIELD_VALUE for a value that cannot be canonicalised', () => {
      const bad = { ...disclosure, disclosed: { ...disclosure.disclosed, birthDate: { value: '1990-02-30', salt: SALTS['birthDate'] as string } } };
      expect(verifyDisclosure(commitment.root, bad)).to.deep.include({ ok: false, reason: 'INVALID_FIELD_VALUE' });
    });

    it('throws only for a malformed root, and createDisclosure refuses uncommitted names', () => {
      expect(code(() => verifyDisclosure('nope', disclosure))).to.equal('INVALID_COMMITMENT_ROOT');
      expect(code(() => createDisclosure(commitment, ['taxId']))).to.equal('FIELD_NOT_COMMITTED');
    });
  });

  describe('duplicate marker', () => {
    const key = new Uint8Array(32).fill(7);

    it('is the HMAC of the canonical stable fields, independent of spelling variants', () => {
      const expected = createHmac('sha256', key)
        .update(Buffer.concat([lp('kyc-ledger:dup:v1'), lp('Zoë'), lp('Müller'), lp('1990-02-28'), lp('DE')]))
        .digest('hex');
      expect(duplicateMarker(key, FIELDS)).to.equal(expected);
      expect(duplicateMarker(key, { ...FIELDS, givenName: ' Zoe\u0308 ', nationality: 'de' })).to.equal(expected);
    });

    it('depends on the key and on every stable field', () => {
      const base = duplicateMarker(key, FIELDS);
      expect(duplicateMarker(new Uint8Array(32).fill(8), FIELDS)).to.not.equal(base);
      expect(duplicateMarker(key, { ...FIELDS, birthDate: '1990-02-27' })).to.not.equal(base);
      expect(duplicateMarker(key, { ...FIELDS, email: 'other@example.com' })).to.equal(base);
    });

    it('requires a 32-byte key and the four stable fields', () => {
      expect(code(() => duplicateMarker(new Uint8Array(16), FIELDS))).to.equal('INVALID_KEY');
      const { nationality: _n, ...partial } = FIELDS;
      expect(code(() => duplicateMarker(key, partial))).to.equal('MISSING_FIELD');
    });
  });
});
