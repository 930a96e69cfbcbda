import { z } from 'zod';
import { ASSURANCE_LEVELS, PROPOSAL_STATUSES, ROLES, claimTopicSchema, mspIdSchema, proposalInputSchema } from './registryModel';

// Output schemas: what the registry contract stores and answers. They document and check answers;
// the chaincode validates inputs with the input schemas of registryModel.ts.

const timestamp = z.iso.datetime({ offset: false });
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');

/** A consortium member as the registry stores it (`registry:listMembers`). */
export const memberSchema = z.object({
  mspId: mspIdSchema,
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  status: z.enum(['active', 'removed']),
  since: timestamp.describe('when the member joined'),
  removedAt: timestamp.optional(),
});

/** A certifier's accreditation: the countries, claim topics and assurance it may attest, and when. */
export const accreditationSchema = z.object({
  certifier: mspIdSchema,
  countries: z.array(country),
  claimTopics: z.array(claimTopicSchema),
  maxAssuranceLevel: z.enum(ASSURANCE_LEVELS),
  validFrom: timestamp,
  validUntil: timestamp,
  status: z.enum(['active', 'revoked']),
  revokedAt: timestamp.optional(),
  updatedAt: timestamp,
});

/** A governance proposal: the change, who approved it, and whether it took effect. */
export const proposalSchema = z.intersection(
  proposalInputSchema,
  z.object({
    id: z.string(),
    proposer: mspIdSchema,
    approvals: z.array(mspIdSchema).describe('MSP IDs of the admins that approved, the proposer first'),
    status: z.enum(PROPOSAL_STATUSES),
    createdAt: timestamp,
    executedAt: timestamp.optional(),
  }),
);

/** `registry:listProposals`: proposals, newest first. */
export const proposalListSchema = z.array(proposalSchema);

/** `registry:listAccreditations`: every certifier's accreditation, active or revoked. */
export const accreditationListSchema = z.array(accreditationSchema);
