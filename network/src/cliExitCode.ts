import type { NetworkErrorCode } from './errors';

/** Codes meaning the command's own input was wrong (a file, a name, an argument): nothing was done. */
const USAGE_ERRORS: ReadonlySet<NetworkErrorCode> = new Set<NetworkErrorCode>([
  'CONFIG_INVALID', 'CONFIG_NOT_FOUND', 'INVALID_ARGUMENT', 'UNKNOWN_NODE', 'UNKNOWN_ORG',
  'ORG_DEFINITION_INVALID', 'SIGNATURE_INVALID', 'CONFIG_UPDATE_INVALID',
]);

/** The CLI's exit code for a coded error: 2 for bad input (like commander's usage errors), else 1. */
export function cliExitCode(code: NetworkErrorCode): number {
  return USAGE_ERRORS.has(code) ? 2 : 1;
}
