import { z } from 'zod';
import { claimTopicSchema } from '@kyc-ledger/api';
import { uniqueList } from '../commonSchemas';
import { securitiesModule } from '../complianceModule';
import { byJurisdiction, entryFor } from './byJurisdiction';

export const requiredClaimTopicsConfigSchema = z.strictObject({
  byJurisdiction: byJurisdiction(uniqueList(claimTopicSchema).min(1, 'must name at least one claim topic'), { requireDefault: false }),
});

/** Only a valid attestation's topics count, so an invalid one leaves every required topic missing. */
export const requiredClaimTopics = securitiesModule('requiredClaimTopics', (config, { input }) => {
  const { investor, attestation } = input.to;
  if (!investor) return [];
  const required = entryFor(config.byJurisdiction, investor.jurisdiction) ?? [];
  const held = attestation?.valid ? attestation.claimTopics : [];
  const missing = required.filter((t) => !held.includes(t));
  if (missing.length === 0) return [];
  return [{ name: 'CLAIM_TOPICS_MISSING', party: 'to', details: { jurisdiction: investor.jurisdiction, missing, attestationValid: attestation?.valid ?? false } }];
});
