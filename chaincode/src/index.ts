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
export { investorCollection, issuerCollection } from './collections';

/** The contracts fabric-contract-api serves; the first is the default namespace. */
export const contracts = [ProbeContract, RegistryContract, AttestationContract, ConsentContract];
