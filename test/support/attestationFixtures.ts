import { commitFields, generateKey, parseAccountId, Purposes, signStatement, sortedUnique, STATEMENT_DOMAIN, STATEMENT_VERSION, type Key, type KeyKind, type Statement } from '@kyc-ledger/crypto';

/** The consortium used by chaincode unit tests (mirrors network.yaml). */
export const MEMBERS = [
  { mspId: 'Certifier1MSP', name: 'Certification Body One', roles: ['certifier'] },
  { mspId: 'Bank1MSP', name: 'Bank One', roles: ['bank'] },
  { mspId: 'Bank2MSP', name: 'Bank Two', roles: ['bank'] },
  { mspId: 'Issuer1MSP', name: 'Issuer One', roles: ['issuer'] },
];

export const ACCREDITATION = {
  certifier: 'Certifier1MSP',
  countries: ['CH', 'DE', 'FR'],
  claimTopics: ['address', 'identity'],
  maxAssuranceLevel: 'substantial',
  validFrom: '2025-01-01T00:00:00Z',
  validUntil: '2030-01-01T00:00:00Z',
};

export const bootstrapInput = (network: string) => JSON.stringify({ network, members: MEMBERS, accreditations: [ACCREDITATION] });

export const PERSON = {
  givenName: 'Anna',
  familyName: 'Müller',
  birthDate: '1990-04-12',
  nationality: 'CH',
  documentNumber: 'X1234567',
};

export interface SignedRequest {
  key: Key;
  input: Record<string, unknown>;
  commitment: ReturnType<typeof commitFields>;
}

/** A person's key, their commitments and the certifier's registration input signed by the person. */
export function attestationRequest(network: string, options: { kind?: KeyKind; certifier?: string; claimTopics?: string[]; overrides?: Record<string, unknown>; key?: Key } = {}): SignedRequest {
  const key = options.key ?? generateKey(options.kind ?? 'secp256k1');
  const commitment = commitFields(PERSON);
  const claimTopics = sortedUnique(options.claimTopics ?? ['identity']);
  const statement = {
    domain: STATEMENT_DOMAIN,
    version: STATEMENT_VERSION,
    purpose: Purposes.ATTESTATION_REQUEST,
    network,
    chain: parseAccountId(key.accountId).chainId,
    address: key.accountId,
    certifier: options.certifier ?? 'Certifier1MSP',
    claimTopics,
    commitmentRoot: commitment.root,
  } as Statement;
  const input = {
    subject: key.accountId,
    commitmentRoot: commitment.root,
    fieldNames: Object.keys(PERSON).sort(),
    claimTopics,
    jurisdiction: 'CH',
    assuranceLevel: 'substantial',
    expiresAt: '2028-01-01T00:00:00Z',
    evidenceHash: 'ab'.repeat(32),
    subjectSignature: signStatement(statement, key),
    ...options.overrides,
  };
  return { key, input, commitment };
}
