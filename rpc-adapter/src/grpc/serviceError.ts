import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { GatewayErrorCodes, KycError, isKycError } from '@kyc-ledger/api';
import type { z } from 'zod';
import { grpcStatusOf } from './errorTable';

/** Trailer with the stable error code (the same codes as the REST API's `code`). */
export const ERROR_CODE_TRAILER = 'kyc-error-code';
/** Trailer with the error's details as JSON (e.g. `{"problems":[{"field":…,"problem":…}]}`). */
export const ERROR_DETAILS_TRAILER = 'kyc-error-details';

/**
 * The gRPC error a client gets for `error`: a coded KycError keeps its code and message; anything
 * else becomes INTERNAL without its text (which `log` receives).
 */
export function toServiceError(error: unknown, log: (error: unknown) => void): Partial<ServiceError> {
  const coded = isKycError(error) ? error : undefined;
  if (!coded || grpcStatusOf(coded.code) === status.INTERNAL) log(error);
  const code = coded?.code ?? GatewayErrorCodes.INTERNAL;
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_TRAILER, code);
  if (coded?.details !== undefined) metadata.set(ERROR_DETAILS_TRAILER, JSON.stringify(coded.details));
  return { code: grpcStatusOf(code), details: coded?.message ?? 'internal error', metadata };
}

/** Parses `input` with `schema`; INVALID_ARGUMENT listing every problem when it does not fit. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // Named as in the .proto (request_id, chain.rpc_url), which is what a client wrote.
  const protoName = (segment: PropertyKey) => String(segment).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const problems = result.error.issues.map((i) => ({ field: i.path.map(protoName).join('.') || '(request)', problem: i.message }));
  throw new KycError(GatewayErrorCodes.INVALID_ARGUMENT, `invalid request: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, {
    details: { problems },
  });
}
