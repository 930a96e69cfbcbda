// The registry's stored objects and inputs are part of the shared contract (@kyc-ledger/api).
export {
  ROLES, ASSURANCE_LEVELS, mspIdSchema, claimTopicSchema, accreditationInputSchema, memberInputSchema, bootstrapSchema, proposalInputSchema, PROPOSAL_STATUSES,
  type Role, type AssuranceLevel, type Member, type AccreditationInput, type Accreditation, type ProposalInput, type Proposal, type ProposalStatus,
} from '@kyc-ledger/api';
