import { z } from 'zod';
import { ASSURANCE_LEVELS, claimTopicSchema } from '@kyc-ledger/api';
import { assuranceLevelSchema, uniqueList } from '../commonSchemas';
import { bankingModule, type SubjectFinding } from '../complianceModule';

export const requiredClaimsConfigSchema = z.strictObject({
  claimTopics: uniqueList(claimTopicSchema).min(1, 'must name at least one claim topic'),
  minAssuranceLevel: assuranceLevelSchema,
});

/**
 * Topics and assurance are judged only on a valid attestation: the claims of a revoked or expired
 * attestation prove nothing, so an invalid one yields ATTESTATION_INVALID alone.
 */
export const requiredClaims = bankingModule('requiredClaims', (config, { party }) => {
  const a = party.attestation;
  if (!a) return [{ name: 'ATTESTATION_INVALID', details: { failing: ['MISSING'] } }];
  if (!a.valid) return [{ name: 'ATTESTATION_INVALID', details: { attestation: a.id, failing: a.failing } }];
  const findings: SubjectFinding[] = [];
  const missing = config.claimTopics.filter((t) => !a.claimTopics.includes(t));
  if (missing.length > 0) findings.push({ name: 'KYC_CLAIMS_MISSING', details: { attestation: a.id, missing } });
  if (ASSURANCE_LEVELS.indexOf(a.assuranceLevel) < ASSURANCE_LEVELS.indexOf(config.minAssuranceLevel)) {
    findings.push({ name: 'ASSURANCE_TOO_LOW', details: { attestation: a.id, required: config.minAssuranceLevel, actual: a.assuranceLevel } });
  }
  return findings;
});
