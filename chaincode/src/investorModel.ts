// Assets, registrations, investor records and transfers are part of the shared contract (@kyc-ledger/api).
export {
  assetIdSchema, investorIdSchema, accountSchema, amountSchema, officerSetSchema, assetInputSchema, approvalSchema, approvalsSchema,
  registrationInputSchema, INVESTOR_TYPES, ENTITY_TYPES, RISK_TIERS, investorRecordInputSchema, transferInputSchema,
  type OfficerSetInput, type OfficerSet, type Asset, type Approval, type RegistrationInput, type Registration, type InvestorRecordInput,
  type InvestorRecord, type TransferInput, type Holding, type HolderCounts,
} from '@kyc-ledger/api';
