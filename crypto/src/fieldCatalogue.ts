import { CryptoError, CryptoErrorCodes } from './cryptoError.js';

/** How a field's value is canonicalised. */
export type FieldKind = 'text' | 'date' | 'country' | 'enum' | 'email';

/** Definition of one catalogued field. */
export interface FieldDefinition {
  kind: FieldKind;
  /** Allowed canonical values of an `enum` field. */
  values?: readonly string[];
}

/** Identity document types a certifier can record. */
export const DOCUMENT_TYPES = ['passport', 'id-card', 'driving-licence', 'residence-permit'] as const;

/** The known identity fields. Other names are allowed as free text (see {@link FIELD_NAME_PATTERN}). */
export const FIELD_CATALOGUE = {
  givenName: { kind: 'text' },
  familyName: { kind: 'text' },
  birthDate: { kind: 'date' },
  nationality: { kind: 'country' },
  residenceCountry: { kind: 'country' },
  documentNumber: { kind: 'text' },
  documentType: { kind: 'enum', values: DOCUMENT_TYPES },
  address: { kind: 'text' },
  email: { kind: 'email' },
  taxId: { kind: 'text' },
} as const satisfies Record<string, FieldDefinition>;

/** Name of a catalogued field. */
export type CatalogueField = keyof typeof FIELD_CATALOGUE;

/** Every field name, catalogued or not: lower camelCase ASCII, at most 64 characters. */
export const FIELD_NAME_PATTERN = /^[a-z][A-Za-z0-9]{0,63}$/;

/** The definition of `name`; uncatalogued valid names are text. Throws INVALID_FIELD_NAME. */
export function fieldDefinition(name: unknown): FieldDefinition {
  if (typeof name !== 'string' || !FIELD_NAME_PATTERN.test(name)) {
    throw new CryptoError(CryptoErrorCodes.INVALID_FIELD_NAME, `field name must match ${FIELD_NAME_PATTERN.source}`, { field: name });
  }
  return Object.hasOwn(FIELD_CATALOGUE, name) ? (FIELD_CATALOGUE as Record<string, FieldDefinition>)[name] as FieldDefinition : { kind: 'text' };
}
