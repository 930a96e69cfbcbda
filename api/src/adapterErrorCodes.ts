/**
 * Codes only the RPC adapter raises (its gRPC service and its registry store). The adapter also
 * uses the gateways' generic codes (INVALID_ARGUMENT, FORBIDDEN, NOT_FOUND, …); every code it
 * sends has one gRPC status in rpc-adapter/src/grpc/errorTable.ts.
 *
 * RESUME_TOKEN_EXPIRED: a resume or page token that was valid once but can no longer be honoured
 * (issued too long ago, or ahead of what the store holds); the client lists again.
 * REQUEST_ID_REUSED: a mutating call's request id was already used for a different request.
 * SEQUENCE_GAP: a followed block holds an asset change whose sequence is not the next one; the
 * store refuses it rather than skip a change.
 */
export const AdapterErrorCodes = {
  RESUME_TOKEN_EXPIRED: 'RESUME_TOKEN_EXPIRED',
  REQUEST_ID_REUSED: 'REQUEST_ID_REUSED',
  SEQUENCE_GAP: 'SEQUENCE_GAP',
} as const;

/** One of {@link AdapterErrorCodes}. */
export type AdapterErrorCode = (typeof AdapterErrorCodes)[keyof typeof AdapterErrorCodes];
