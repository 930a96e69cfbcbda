import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { ApiKeyAuthenticator } from './apiKeys';
import { BoundedRateLimitStore } from './boundedRateLimitStore';
import type { RateLimitConfig } from './gatewayConfig';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import { API_KEY_HEADER } from './registerRoutes';
import { requestContext } from './requestContext';

/** What {@link rateLimiting} needs. */
export interface RateLimitingDependencies {
  limits: RateLimitConfig;
  authenticator: ApiKeyAuthenticator;
  /** Paths of the operations routes: their keyless requests are counted apart from the public API's. */
  operationsPaths: ReadonlySet<string>;
  logger: Logger;
}

type Scope = 'address' | 'apiKey' | 'anonymous';

const MESSAGES: Record<Scope, string> = {
  address: 'too many requests from this client address',
  apiKey: 'too many requests with this API key',
  anonymous: 'too many requests without an API key from this client address',
};

/** The client address as a limiter key: IPv6 addresses by /56, since one client commonly holds a whole prefix. */
function clientAddress(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

function limiter(
  scope: Scope,
  limit: number,
  deps: RateLimitingDependencies,
  key: (req: Request, res: Response) => string,
  skip?: (req: Request, res: Response) => boolean,
): RequestHandler {
  const { windowSeconds, maxClients } = deps.limits;
  return rateLimit({
    windowMs: windowSeconds * 1000,
    limit,
    identifier: scope,
    // The IETF draft's RateLimit/RateLimit-Policy headers append, so the three limiters' headers
    // stand side by side; any standard header also turns on Retry-After for refused requests.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new BoundedRateLimitStore(maxClients),
    keyGenerator: key,
    ...(skip && { skip }),
    requestPropertyName: `rateLimit_${scope}`,
    // A client retrying at once would only be refused again: never advise fewer than 1 second.
    retryAfter: (req: Request) => Math.max(1, secondsUntilReset(req, scope, windowSeconds)),
    handler: (req, _res, next) => {
      const retryAfterSeconds = Math.max(1, secondsUntilReset(req, scope, windowSeconds));
      next(new GatewayError(G.RATE_LIMITED, `${MESSAGES[scope]}; retry after ${retryAfterSeconds} s`, { details: { scope, limit, windowSeconds, retryAfterSeconds } }));
    },
    // The library reports misconfiguration (e.g. X-Forwarded-For without trusted proxies) and store
    // failures as an error object first, then text.
    logger: {
      warn: (err: unknown, message?: string) => deps.logger.warn({ err, limiter: scope }, message ?? 'rate limiter warning'),
      error: (err: unknown, message?: string) => deps.logger.error({ err, limiter: scope }, message ?? 'rate limiter error'),
    },
  });
}

function secondsUntilReset(req: Request, scope: Scope, windowSeconds: number): number {
  const info = (req as unknown as Record<string, RateLimitInfo | undefined>)[`rateLimit_${scope}`];
  if (!info?.resetTime) return windowSeconds;
  return Math.ceil((info.resetTime.getTime() - Date.now()) / 1000);
}

/**
 * The gateway's request limits, run before routing so they cover every path (unknown ones too)
 * and before any body is read. A request with a valid API key counts against that key, and one
 * without against the (lower) keyless limit of its address, in a bucket of its own for the
 * operations routes so a flood of public reads cannot fail the health checks; then every request
 * counts against its client address. The narrow limits run first because a limiter counts a
 * request before it refuses it: keyless requests already refused must not use up the address's
 * budget, which a bank's keyed requests from the same address (a NAT, a proxy) share. Refusals
 * are 429 RATE_LIMITED problems with `Retry-After`.
 */
export function rateLimiting(deps: RateLimitingDependencies): RequestHandler[] {
  const { limits, authenticator, operationsPaths } = deps;
  const hasKey = (_req: Request, res: Response) => requestContext(res).apiKey !== undefined;
  const identify: RequestHandler = (req, res, next) => {
    const identity = authenticator.authenticate(req.get(API_KEY_HEADER));
    if (identity) requestContext(res).apiKey = identity;
    next();
  };
  return [
    identify,
    limiter('apiKey', limits.perKey, deps, (_req, res) => (requestContext(res).apiKey as { id: string }).id, (req, res) => !hasKey(req, res)),
    limiter('anonymous', limits.anonymousPerAddress, deps, (req) => `${operationsPaths.has(req.path) ? 'ops' : 'api'} ${clientAddress(req)}`, hasKey),
    limiter('address', limits.perAddress, deps, clientAddress),
  ];
}
