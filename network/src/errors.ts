/** Stable codes for everything the network tooling can fail with. */
export type NetworkErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'TOOLCHAIN_MISSING'
  | 'FABRIC_BUILD_FAILED'
  | 'FABRIC_BINARY_MISSING'
  | 'GETH_BUILD_FAILED'
  | 'GETH_BINARY_MISSING'
  | 'CHAIN_RPC_FAILED'
  | 'COMMAND_FAILED'
  | 'NODE_START_FAILED'
  | 'NODE_UNHEALTHY'
  | 'PORT_NOT_READY'
  | 'PORT_IN_USE'
  | 'NOT_RUNNING'
  | 'UNKNOWN_NODE'
  | 'UNKNOWN_ORG'
  | 'NODE_NOT_LOCAL'
  | 'CHAINCODE_PACKAGE_FAILED'
  | 'CHAINCODE_NOT_DEPLOYED'
  | 'CHAINCODE_UNCHANGED'
  | 'NO_PREVIOUS_PACKAGE'
  | 'COMMIT_NOT_READY'
  /** A command's own arguments are wrong (nothing was sent). */
  | 'INVALID_ARGUMENT'
  /** The ledger refused a transaction with a coded chaincode error (`details.reason` is its code). */
  | 'LEDGER_REFUSED'
  // Membership: channel config updates (network/src/membership).
  | 'ORG_DEFINITION_INVALID'
  | 'ORG_ALREADY_MEMBER'
  | 'ORG_NOT_MEMBER'
  | 'CONFIG_UPDATE_INVALID'
  | 'SIGNATURE_INVALID'
  | 'NOT_ENOUGH_SIGNATURES'
  | 'CONFIG_STALE'
  | 'CONFIG_UPDATE_REFUSED';

/** An error with a stable code, structured details and the underlying cause. */
export class NetworkError extends Error {
  readonly code: NetworkErrorCode;
  readonly details: unknown;

  constructor(code: NetworkErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NetworkError';
    this.code = code;
    this.details = options.details;
  }
}

/** A network configuration that failed validation; `problems` lists every one found. */
export class ConfigError extends NetworkError {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super('CONFIG_INVALID', `${source} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      details: { source, problems },
    });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
