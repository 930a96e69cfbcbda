import { AttestationContract } from './attestationContract';
import { ConsentContract } from './consentContract';
import { ProbeContract } from './probeContract';
import { RegistryContract } from './registryContract';

export { AttestationContract, attestationId } from './attestationContract';
export { ConsentContract } from './consentContract';
export type { Receipt } from './consentContract';
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

/** The contracts fabric-contract-api serves; the first is the default namespace. */
export const contracts = [ProbeContract, RegistryContract, AttestationContract, ConsentContract];

/** The pure transfer-check engine (rule sets, ERC-1404 codes and messages), for contracts, the gateway and replay tools. */
export * as compliance from './compliance';
