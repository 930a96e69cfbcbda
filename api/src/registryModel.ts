import { z } from 'zod';
import type { accreditationSchema, memberSchema, proposalSchema } from './registryObjectSchemas';

export const ROLES = ['certifier', 'bank', 'issuer'] as const;
export type Role = (typeof ROLES)[number];

/** eIDAS-style assurance levels, weakest first. */
export const ASSURANCE_LEVELS = ['low', 'substantial', 'high'] as const;
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number];

export const mspIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{0,63}$/, 'must be an MSP ID');
const timestamp = z.iso.datetime({ offset: false });
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');
export const claimTopicSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a claim topic (lower-case, dashes)');

/** A consortium member as stored; see `memberSchema`. */
export type Member = z.output<typeof memberSchema>;

export const accreditationInputSchema = z.strictObject({
  certifier: mspIdSchema,
  countries: z.array(country).min(1).max(250),
  claimTopics: z.array(claimTopicSchema).min(1).max(64),
  maxAssuranceLevel: z.enum(ASSURANCE_LEVELS),
  validFrom: timestamp,
  validUntil: timestamp,
}).refine((a) => a.validFrom < a.validUntil, { message: 'validFrom must be before validUntil', path: ['validUntil'] });

export type AccreditationInput = z.output<typeof accreditationInputSchema>;

/** An accreditation as stored; see `accreditationSchema`. */
export type Accreditation = z.output<typeof accreditationSchema>;

export const memberInputSchema = z.strictObject({
  mspId: mspIdSchema,
  name: z.string().min(1).max(128),
  roles: z.array(z.enum(ROLES)).min(1).max(3),
});

export const bootstrapSchema = z.strictObject({
  /** The consortium's name; with the channel it forms the network id every signed statement names. */
  network: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a lower-case network name'),
  members: z.array(memberInputSchema).min(2).max(100),
  accreditations: z.array(accreditationInputSchema).max(100).default([]),
});

export const proposalInputSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('addMember'), payload: memberInputSchema }),
  z.strictObject({ action: z.literal('removeMember'), payload: z.strictObject({ mspId: mspIdSchema }) }),
  z.strictObject({ action: z.literal('accredit'), payload: accreditationInputSchema }),
  z.strictObject({ action: z.literal('deaccredit'), payload: z.strictObject({ certifier: mspIdSchema }) }),
  /** A consortium-wide banking (KYC/AML) rule set version; validated by the compliance engine. */
  z.strictObject({ action: z.literal('publishRuleSet'), payload: z.record(z.string(), z.unknown()) }),
]);

export type ProposalInput = z.output<typeof proposalInputSchema>;

/** A proposal is open until approvals from a majority of active members execute it. */
export const PROPOSAL_STATUSES = ['open', 'executed'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** A governance proposal as stored; see `proposalSchema`. */
export type Proposal = z.output<typeof proposalSchema>;
