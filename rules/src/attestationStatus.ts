import type { Attestation } from '@kyc-ledger/api';
import { ASSURANCE_LEVELS, type Accreditation } from '@kyc-ledger/api';

export type StatusCode = 'VALID' | 'REVOKED' | 'SUPERSEDED' | 'NOT_YET_VALID' | 'EXPIRED' | 'CERTIFIER_NOT_ACCREDITED' | 'OUT_OF_SCOPE';

export interface AttestationStatus {
  id: string;
  at: string;
  valid: boolean;
  /** The first failing reason, or VALID. */
  status: StatusCode;
  /** Every failing reason, each with a message. */
  reasons: { code: StatusCode; message: string }[];
  attestation: Attestation;
  accreditation: Accreditation | null;
}

/** Problems with an accreditation's scope for the given attestation content (empty when in scope). */
export function scopeProblems(acc: Accreditation, a: Pick<Attestation, 'jurisdiction' | 'claimTopics' | 'assuranceLevel'>): string[] {
  const problems: string[] = [];
  if (!acc.countries.includes(a.jurisdiction)) problems.push(`jurisdiction ${a.jurisdiction} is outside the accreditation (${acc.countries.join(', ')})`);
  const topics = a.claimTopics.filter((t) => !acc.claimTopics.includes(t));
  if (topics.length > 0) problems.push(`claim topics ${topics.join(', ')} are outside the accreditation (${acc.claimTopics.join(', ')})`);
  if (ASSURANCE_LEVELS.indexOf(a.assuranceLevel) > ASSURANCE_LEVELS.indexOf(acc.maxAssuranceLevel)) {
    problems.push(`assurance level ${a.assuranceLevel} exceeds the accredited maximum ${acc.maxAssuranceLevel}`);
  }
  return problems;
}

/** Why an accreditation does not cover acting at `at` (undefined when it does). */
export function accreditationProblem(acc: Accreditation | undefined, at: string): string | undefined {
  if (!acc) return 'the certifier has no accreditation';
  if (acc.status === 'revoked' && (acc.revokedAt ?? '') <= at) return `the certifier was de-accredited at ${acc.revokedAt}`;
  if (at < acc.validFrom) return `the accreditation starts at ${acc.validFrom}`;
  if (at >= acc.validUntil) return `the accreditation ended at ${acc.validUntil}`;
  return undefined;
}

/**
 * An attestation's standing at time `at`, derived when read: de-accrediting a certifier or
 * narrowing its scope invalidates its attestations without rewriting them.
 */
export function evaluateStatus(a: Attestation, acc: Accreditation | undefined, at: string): AttestationStatus {
  const reasons: AttestationStatus['reasons'] = [];
  if (a.status === 'revoked') reasons.push({ code: 'REVOKED', message: `revoked (${a.revocation?.reason}) at ${a.revocation?.at}` });
  if (a.status === 'superseded') reasons.push({ code: 'SUPERSEDED', message: `superseded by ${a.supersededBy}` });
  if (at < a.issuedAt) reasons.push({ code: 'NOT_YET_VALID', message: `issued at ${a.issuedAt}` });
  if (at >= a.expiresAt) reasons.push({ code: 'EXPIRED', message: `expired at ${a.expiresAt}` });
  const accProblem = accreditationProblem(acc, at);
  if (accProblem) reasons.push({ code: 'CERTIFIER_NOT_ACCREDITED', message: accProblem });
  if (acc) for (const message of scopeProblems(acc, a)) reasons.push({ code: 'OUT_OF_SCOPE', message });
  return {
    id: a.id,
    at,
    valid: reasons.length === 0,
    status: reasons[0]?.code ?? 'VALID',
    reasons,
    attestation: a,
    accreditation: acc ?? null,
  };
}
