import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from './bytes.js';
import { commitFields } from './commitments.js';
import { createDisclosure } from './disclosure.js';
import { duplicateMarker } from './duplicateMarker.js';

/** Deterministic test salt of a field: sha256("kyc-ledger:vector-salt:" ‖ name). Test data only. */
export function vectorSalt(name: string): string {
  return bytesToHex(sha256(utf8ToBytes(`kyc-ledger:vector-salt:${name}`)));
}

function saltsFor(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(fields).map((n) => [n, vectorSalt(n)]));
}

const CASES: { name: string; fields: Record<string, string>; disclose: string[] }[] = [
  {
    name: 'full identity with non-canonical input',
    fields: {
      givenName: '  Zoe\u0308  Marie ', // NFD "Zoë", padding and a double space
      familyName: 'Mu\u0308ller-Lu\u0308denscheidt',
      birthDate: '1990-02-28',
      nationality: 'de',
      residenceCountry: ' fr ',
      documentNumber: 'C01X00T47',
      documentType: 'Passport',
      address: 'Rue de Rivoli 1\n75001\tParis',
      email: 'Zoe.Mueller@Example.COM',
      taxId: '12 345 678 901',
    },
    disclose: ['birthDate', 'nationality'],
  },
  {
    name: 'single uncatalogued field',
    fields: { investorClass: 'qualified' },
    disclose: ['investorClass'],
  },
  {
    name: 'CJK and emoji text',
    fields: { givenName: '太郎', familyName: '山田 🙂', birthDate: '2000-02-29', nationality: 'JP' },
    disclose: [],
  },
];

/** Deterministic commitment, disclosure and duplicate-marker vectors. */
export function buildCommitmentVectors(): unknown {
  const dupKey = sha256(utf8ToBytes('kyc-ledger:vector-dup-key'));
  const commitments = CASES.map((c) => {
    const salts = saltsFor(c.fields);
    const commitment = commitFields(c.fields, salts);
    return {
      name: c.name,
      input: c.fields,
      salts,
      canonical: commitment.canonical,
      leaves: commitment.leaves,
      root: commitment.root,
      disclosure: { names: c.disclose, value: createDisclosure(commitment, c.disclose) },
    };
  });
  const first = CASES[0] as (typeof CASES)[number];
  return {
    description: 'kyc-ledger commitment vectors; layouts in test/vectors/README.md. Regenerate with: node crypto/dist/generateVectors.js',
    saltDerivation: 'sha256(utf8("kyc-ledger:vector-salt:" + fieldName)) (test data only; real salts are random)',
    commitments,
    duplicateMarker: {
      keyDerivation: 'sha256(utf8("kyc-ledger:vector-dup-key"))',
      key: bytesToHex(dupKey),
      input: first.fields,
      marker: duplicateMarker(dupKey, first.fields),
    },
  };
}
