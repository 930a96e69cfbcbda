import { ISO_3166_ALPHA2 } from './countryCodes.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';
import { fieldDefinition } from './fieldCatalogue.js';
import { isCalendarDate } from './isoDate.js';

/** Longest canonical value accepted, in UTF-16 code units. */
export const MAX_VALUE_LENGTH = 1024;

function invalid(field: string, message: string, value?: unknown): CryptoError {
  return new CryptoError(CryptoErrorCodes.INVALID_FIELD_VALUE, `${field}: ${message}`, { field, value });
}

/**
 * The canonical form of a field value, the only form ever hashed: Unicode NFC, trimmed, every
 * whitespace run collapsed to one space, then per kind: dates must be real `YYYY-MM-DD` calendar
 * dates, countries upper-cased assigned ISO 3166-1 alpha-2 codes, enums lower-cased members,
 * e-mail addresses with a lower-cased domain. The same person therefore always yields the same
 * leaf whoever types the data. Throws INVALID_FIELD_NAME / INVALID_FIELD_VALUE.
 */
export function canonicalValue(field: string, value: unknown): string {
  const def = fieldDefinition(field);
  if (typeof value !== 'string') throw invalid(field, 'value must be a string');
  // A lone surrogate would be replaced by U+FFFD in UTF-8, so two inputs would share one leaf.
  if (/\p{Cs}/u.test(value)) throw invalid(field, 'value contains a lone UTF-16 surrogate');
  const v = value.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (/\p{Cc}/u.test(v)) throw invalid(field, 'value contains control characters');
  if (v === '') throw invalid(field, 'value is empty', value);
  if (v.length > MAX_VALUE_LENGTH) throw invalid(field, `value is longer than ${MAX_VALUE_LENGTH} characters`);
  switch (def.kind) {
    case 'text':
      return v;
    case 'date':
      if (!isCalendarDate(v)) throw invalid(field, 'value must be an existing calendar date YYYY-MM-DD', value);
      return v;
    case 'country': {
      const code = v.toUpperCase();
      if (!/^[A-Z]{2}$/.test(code) || !ISO_3166_ALPHA2.has(code)) throw invalid(field, 'value must be an assigned ISO 3166-1 alpha-2 code', value);
      return code;
    }
    case 'enum': {
      const member = v.toLowerCase();
      if (!(def.values ?? []).includes(member)) throw invalid(field, `value must be one of ${(def.values ?? []).join(', ')}`, value);
      return member;
    }
    case 'email':
      return canonicalEmail(field, v, value);
  }
}

function canonicalEmail(field: string, v: string, raw: string): string {
  const at = v.indexOf('@');
  if (at <= 0 || at !== v.lastIndexOf('@') || at === v.length - 1 || v.includes(' ')) {
    throw invalid(field, 'value must be an e-mail address local@domain', raw);
  }
  // The domain is case-insensitive (DNS); the local part may not be, so it is kept as given.
  return `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}`;
}
