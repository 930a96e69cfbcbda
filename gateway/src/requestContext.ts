import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { ApiKeyIdentity } from './apiKeys';

/** What the gateway knows about one request while it is handled. */
export interface RequestContext {
  requestId: string;
  startedAt: bigint;
  /** The matched route's path template (`/v1/attestations/:id/revoke`); unset for unmatched requests. */
  route?: string;
  apiKey?: ApiKeyIdentity;
  /** Code of the error answered, for the access log. */
  errorCode?: string;
  transactionId?: string;
}

/** Header that carries the request id in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is reused only when it is short and harmless in logs and headers.
const CALLER_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const KEY = 'kycRequestContext';

/** The context of the request `res` answers. */
export function requestContext(res: Response): RequestContext {
  const ctx = res.locals[KEY] as RequestContext | undefined;
  if (!ctx) throw new Error('request context middleware is not installed');
  return ctx;
}

/**
 * Creates the request context: takes the caller's `x-request-id` when it is well-formed (so a
 * request can be followed across systems), otherwise makes one, and echoes it on the response.
 */
export function requestContextMiddleware(): RequestHandler {
  return (req, res, next) => {
    const presented = req.get(REQUEST_ID_HEADER);
    const requestId = presented && CALLER_ID.test(presented) ? presented : randomUUID();
    const ctx: RequestContext = { requestId, startedAt: process.hrtime.bigint() };
    res.locals[KEY] = ctx;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    next();
  };
}
