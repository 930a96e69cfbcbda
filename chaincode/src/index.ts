import { ProbeContract } from './probeContract';

export { ProbeContract } from './probeContract';
export { ChaincodeError, ErrorCodes, parseErrorBody } from './errors';
export type { ErrorBody, ErrorCode } from './errors';
export { Events } from './events';
export { canonicalJson } from './canonicalJson';

/** The contracts fabric-contract-api serves; the first is the default namespace. */
export const contracts = [ProbeContract];
