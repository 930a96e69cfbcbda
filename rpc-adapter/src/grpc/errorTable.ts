import { status } from '@grpc/grpc-js';
import { AdapterErrorCodes as A, GatewayErrorCodes as G, type ErrorCode } from '@kyc-ledger/api';

/**
 * The codes the adapter sends: the gateways' generic ones it reuses and its own
 * ({@link A}). A code outside this list reaches a client as INTERNAL.
 */
export type AdapterSentCode =
  | typeof G.INVALID_ARGUMENT
  | typeof G.UNAUTHENTICATED
  | typeof G.FORBIDDEN
  | typeof G.NOT_FOUND
  | typeof G.INTERNAL
  | typeof G.UPSTREAM_UNAVAILABLE
  | (typeof A)[keyof typeof A];

/**
 * The one table from error code to gRPC status. `satisfies Record<AdapterSentCode, status>` makes
 * the compiler reject a missing row, and `AdapterSentCode extends ErrorCode` keeps every code in
 * the shared list of @kyc-ledger/api.
 */
export const GRPC_ERROR_TABLE = {
  [G.INVALID_ARGUMENT]: status.INVALID_ARGUMENT,
  [G.UNAUTHENTICATED]: status.UNAUTHENTICATED,
  // Also for an existing asset of another org: the same answer as for no asset at all.
  [G.FORBIDDEN]: status.PERMISSION_DENIED,
  [G.NOT_FOUND]: status.NOT_FOUND,
  [G.INTERNAL]: status.INTERNAL,
  [G.UPSTREAM_UNAVAILABLE]: status.UNAVAILABLE,
  [A.RESUME_TOKEN_EXPIRED]: status.OUT_OF_RANGE,
  [A.REQUEST_ID_REUSED]: status.ALREADY_EXISTS,
  [A.SEQUENCE_GAP]: status.INTERNAL,
} as const satisfies Record<AdapterSentCode, status>;

// Compile-time check that every sent code is one of the shared list.
const sentCodesAreShared: AdapterSentCode extends ErrorCode ? true : never = true;
void sentCodesAreShared;

/** The gRPC status of `code`; INTERNAL for a code the adapter does not send. */
export function grpcStatusOf(code: string): status {
  return Object.hasOwn(GRPC_ERROR_TABLE, code) ? GRPC_ERROR_TABLE[code as AdapterSentCode] : status.INTERNAL;
}
