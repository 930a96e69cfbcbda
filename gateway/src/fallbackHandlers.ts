import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { errorClassOf } from './errorTable';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import { asGatewayError } from './asGatewayError';
import { sendProblem, toProblemDetails } from './problemDetails';
import { requestContext } from './requestContext';
import type { RouteDefinition } from './routeDefinition';

interface PathMethods {
  pattern: RegExp;
  methods: Set<string>;
}

/** Express path syntax to a regular expression that matches like express does by default. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  // Express matches case-insensitively and with an optional trailing slash.
  return new RegExp(`^${source}/?$`, 'i');
}

/** For each route path, the methods it answers (GET implies HEAD). */
export function methodsByPath(routes: readonly RouteDefinition[]): PathMethods[] {
  const byPath = new Map<string, PathMethods>();
  for (const route of routes) {
    const entry = byPath.get(route.path) ?? { pattern: pathPattern(route.path), methods: new Set<string>() };
    entry.methods.add(route.method.toUpperCase());
    if (route.method === 'get') entry.methods.add('HEAD');
    byPath.set(route.path, entry);
  }
  return [...byPath.values()];
}

/** Methods allowed on `path`, or undefined when no route has that path. */
export function allowedMethods(table: readonly PathMethods[], path: string): string[] | undefined {
  const found = table.filter((entry) => entry.pattern.test(path));
  if (found.length === 0) return undefined;
  return [...new Set(found.flatMap((entry) => [...entry.methods]))].sort();
}

/**
 * Answers what no route took: OPTIONS on a known path (204 with `Allow`), another method on a
 * known path (405 METHOD_NOT_ALLOWED), anything else 404 NOT_FOUND.
 */
export function unmatchedHandler(routes: readonly RouteDefinition[]): RequestHandler {
  const table = methodsByPath(routes);
  return (req, res, next) => {
    const allowed = allowedMethods(table, req.path);
    if (!allowed) return next(new GatewayError(G.NOT_FOUND, `no endpoint ${req.path}`));
    const allow = [...allowed, 'OPTIONS'].join(', ');
    res.setHeader('allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new GatewayError(G.METHOD_NOT_ALLOWED, `${req.method} is not allowed on ${req.path}; allowed: ${allow}`));
  };
}

/**
 * The last handler: every error becomes an RFC 9457 answer. Server-side failures and codes
 * missing from the error table are logged with their cause.
 */
export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const ctx = requestContext(res);
    const gatewayError = asGatewayError(error);
    const problem = toProblemDetails(gatewayError, ctx.requestId, req.path);
    ctx.errorCode = gatewayError.code;
    if (gatewayError.transactionId !== undefined) ctx.transactionId = gatewayError.transactionId;
    if (!errorClassOf(gatewayError.code)) {
      logger.error({ requestId: ctx.requestId, code: gatewayError.code, err: gatewayError }, 'error code missing from the error table; answered 500');
    } else if (problem.status >= 500) {
      logger.error({ requestId: ctx.requestId, code: gatewayError.code, details: gatewayError.details, err: gatewayError.cause ?? gatewayError }, gatewayError.message);
    }
    sendProblem(res, problem);
  };
}
