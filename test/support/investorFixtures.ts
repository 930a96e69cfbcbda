import { generateKey, parseAccountId, Purposes, signStatement, STATEMENT_DOMAIN, STATEMENT_VERSION, type Key, type KeyKind, type Statement } from '@kyc-ledger/crypto';

/** Compliance officers' offline keys, of mixed schemes as a real officer set may be. */
export function officerKeys(n: number): Key[] {
  const kinds: KeyKind[] = ['secp256k1', 'ed25519', 'p256', 'secp256k1', 'ed25519'];
  return Array.from({ length: n }, (_, i) => generateKey(kinds[i % kinds.length] as KeyKind));
}

/** One officer's approval of `digest`, as the wallet CLI's `sign-digest` produces it. */
export function approve(officer: Key, asset: string, digest: string, network: string): { officer: string; signature: unknown } {
  const statement = {
    domain: STATEMENT_DOMAIN,
    version: STATEMENT_VERSION,
    purpose: Purposes.OFFICER_APPROVAL,
    network,
    chain: parseAccountId(officer.accountId).chainId,
    address: officer.accountId,
    asset,
    registrationDigest: digest,
  } as Statement;
  return { officer: officer.accountId, signature: signStatement(statement, officer) };
}

/** An investor record as the issuer or certifier submits it (transient data). */
export function investorRecord(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    issuer: 'Issuer1MSP',
    certifier: 'Certifier1MSP',
    jurisdiction: 'CH',
    investorType: 'retail',
    entityType: 'individual',
    riskTier: 'low',
    pep: false,
    amlScreenedAt: '2026-05-01T00:00:00Z',
    kycVerifiedAt: '2026-05-01T00:00:00Z',
    ...overrides,
  };
}
