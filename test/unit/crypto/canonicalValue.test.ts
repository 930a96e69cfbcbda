import { cryptoErrorCode } from '../../support/cryptoErrorCode';
import { expect } from 'chai';
import { canonicalValue, commitFields, CryptoError, FIELD_CATALOGUE, ISO_3166_ALPHA2 } from '@kyc-ledger/crypto';

const code = cryptoErrorCode;

describe('crypto: canonical field values', () => {
  it('gives NFC and NFD input the same canonical value and the same leaf', () => {
    const nfc = 'Zo\u00eb M\u00fcller';
    const nfd = 'Zoe\u0308 Mu\u0308ller';
    expect(nfd).to.not.equal(nfc);
    expect(canonicalValue('givenName', nfd)).to.equal(nfc);
    const salt = { givenName: '07'.repeat(32) };
    expect(commitFields({ givenName: nfd }, salt).leaves).to.deep.equal(commitFields({ givenName: nfc }, salt).leaves);
  });

  it('trims and collapses every whitespace run, including tabs, newlines and no-break spaces', () => {
    expect(canonicalValue('address', '  Rue\tde\n\nRivoli\u00a0 1  ')).to.equal('Rue de Rivoli 1');
    expect(canonicalValue('familyName', '\u3000Yamada\u2003Taro\ufeff')).to.equal('Yamada Taro');
  });

  it('keeps the case of free text', () => {
    expect(canonicalValue('familyName', 'van der Berg')).to.equal('van der Berg');
    expect(canonicalValue('nickName', 'ZZ Top')).to.equal('ZZ Top');
  });

  it('rejects empty values, control characters and lone surrogates', () => {
    expect(code(() => canonicalValue('givenName', ''))).to.equal('INVALID_FIELD_VALUE');
    expect(code(() => canonicalValue('givenName', ' \t\n\u00a0'))).to.equal('INVALID_FIELD_VALUE');
    expect(code(() => canonicalValue('givenName', 'A\u0000B'))).to.equal('INVALID_FIELD_VALUE');
    expect(code(() => canonicalValue('givenName', 'A\ud800B'))).to.equal('INVALID_FIELD_VALUE');
    expect(code(() => canonicalValue('givenName', 42))).to.equal('INVALID_FIELD_VALUE');
    expect(code(() => canonicalValue('givenName', 'x'.repeat(1025)))).to.equal('INVALID_FIELD_VALUE');
  });

  it('accepts only real calendar dates in YYYY-MM-DD', () => {
    expect(canonicalValue('birthDate', ' 2000-02-29 ')).to.equal('2000-02-29');
    expect(canonicalValue('birthDate', '2024-02-29')).to.equal('2024-02-29');
    for (const bad of ['2023-02-29', '2023-02-30', '1900-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '0000-01-01', '2023-1-01', '01.02.2003', '2023-02-01T00:00:00Z', '２０２３-01-01']) {
      expect(code(() => canonicalValue('birthDate', bad)), bad).to.equal('INVALID_FIELD_VALUE');
    }
  });

  it('upper-cases assigned ISO 3166-1 alpha-2 country codes and rejects the rest', () => {
    expect(ISO_3166_ALPHA2.size).to.equal(249);
    expect(canonicalValue('nationality', 'de')).to.equal('DE');
    expect(canonicalValue('residenceCountry', ' fR ')).to.equal('FR');
    for (const bad of ['XK', 'UK', 'ZZ', 'DEU', 'D', 'd e']) {
      expect(code(() => canonicalValue('nationality', bad)), bad).to.equal('INVALID_FIELD_VALUE');
    }
  });

  it('lower-cases enum members and rejects others', () => {
    expect(canonicalValue('documentType', 'Passport')).to.equal('passport');
    expect(canonicalValue('documentType', 'DRIVING-LICENCE')).to.equal('driving-licence');
    expect(code(() => canonicalValue('documentType', 'visa'))).to.equal('INVALID_FIELD_VALUE');
    expect(FIELD_CATALOGUE.documentType.values).to.include('residence-permit');
  });

  it('lower-cases only the domain of e-mail addresses', () => {
    expect(canonicalValue('email', ' Zoe.Mueller@Example.COM ')).to.equal('Zoe.Mueller@example.com');
    for (const bad of ['no-at-sign', '@example.com', 'a@', 'a@b@c', 'a b@example.com']) {
      expect(code(() => canonicalValue('email', bad)), bad).to.equal('INVALID_FIELD_VALUE');
    }
  });

  it('allows uncatalogued lower-camel-case names and rejects others', () => {
    expect(canonicalValue('investorClass', 'qualified')).to.equal('qualified');
    for (const bad of ['InvestorClass', 'investor_class', '1field', '', 'a'.repeat(65), '__proto__']) {
      expect(code(() => canonicalValue(bad, 'x')), bad).to.equal('INVALID_FIELD_NAME');
    }
  });
});
