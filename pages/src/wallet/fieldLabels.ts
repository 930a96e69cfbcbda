import { FIELD_CATALOGUE, type CatalogueField } from '@kyc-ledger/crypto/dist/fieldCatalogue.js';

/** How the page names each catalogued field for people. */
export const FIELD_LABELS: Readonly<Record<CatalogueField, string>> = {
  givenName: 'Given name',
  familyName: 'Family name',
  birthDate: 'Date of birth',
  nationality: 'Nationality (2-letter country code)',
  residenceCountry: 'Country of residence (2-letter code)',
  documentNumber: 'Document number',
  documentType: 'Document type',
  address: 'Address',
  email: 'Email',
  taxId: 'Tax id',
};

/** The fields a certifier needs for an identity attestation: asked first, required. */
export const REQUIRED_FIELDS: readonly CatalogueField[] = ['givenName', 'familyName', 'birthDate', 'nationality', 'documentNumber'];

/** A field's label, or its name when it is not catalogued (banks may ask for free-text fields). */
export function fieldLabel(name: string): string {
  return Object.hasOwn(FIELD_CATALOGUE, name) ? FIELD_LABELS[name as CatalogueField] : name;
}
