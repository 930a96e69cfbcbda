import { AttestationContract } from './attestationContract';
import { ConsentContract } from './consentContract';
import { ProbeContract } from './probeContract';
import { RegistryContract } from './registryContract';
import { AssetContract } from './assetContract';
import { InvestorContract } from './investorContract';
import { RegistrationContract } from './registrationContract';
import { TransferContract } from './transferContract';

export { AttestationContract, attestationId } from './attestationContract';
export { ConsentContract } from './consentContract';
export type { Receipt, ReceiptBatchResult, ReceiptInput as ConsentReceiptInput, ReceiptOutcome } from './consentContract';
export { MAX_RECEIPT_BATCH, RECEIPT_TRANSIENT_KEY, RECEIPTS_TRANSIENT_KEY } from './consentContract';
export { implicitOrgCollection } from '@kyc-ledger/api';
export { ProbeContract } from './probeContract';
export { RegistryContract } from './registryContract';
export { evaluateStatus } from './attestationStatus';
export type { AttestationStatus, StatusCode } from './attestationStatus';
export type { Attestation, AttestationInput, RevocationReason } from './attestationModel';
export type { Accreditation, Member, Proposal, Role, AssuranceLevel } from './registryModel';
export { ChaincodeError, ErrorCodes, parseErrorBody } from './errors';
export type { ErrorBody, ErrorCode } from './errors';
export { Events } from './events';
export { canonicalJson } from './canonicalJson';
export { AssetContract } from './assetContract';
export { InvestorContract, INVESTOR_TRANSIENT_KEY } from './investorContract';
export { RegistrationContract } from './registrationContract';
export { TransferContract } from './transferContract';
export type { Decision } from './transferContract';
export { approvalDigest } from './officerApprovals';
export type { ApprovedAction, RejectedApproval } from './officerApprovals';
export type { Asset, Registration, InvestorRecord, InvestorRecordInput, OfficerSet, Holding, HolderCounts } from './investorModel';
export type { StoredRuleSet } from './ruleSetStore';
export { detectTransfer, detectTransferOf } from './detectTransfer';
export { investorCollection, issuerCollection } from './collections';

/** The contracts fabric-contract-api serves; the first is the default namespace. */
export const contracts = [ProbeContract, RegistryContract, AttestationContract, ConsentContract, AssetContract, InvestorContract, RegistrationContract, TransferContract];

/** The pure transfer-check engine (rule sets, ERC-1404 codes and messages), for contracts, the gateway and replay tools. */
export * as compliance from './compliance';
