import { isUtf8 } from 'node:buffer';
import express, { type Express, type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { ApiKeyAuthenticator } from './apiKeys';
import { GatewayError, GatewayErrorCodes as G, ValidationError, type IssueLocation, type ValidationIssue } from './gatewayError';
import { requestContext } from './requestContext';
import { sendEventStream } from './eventStream';
import { DEFAULT_BODY_LIMIT, isRawReply, isStreamReply, type RouteDefinition } from './routeDefinition';
import { issueMessage, issuePath } from './zodIssues';

/** Header that carries the API key. */
export const API_KEY_HEADER = 'x-api-key';
/** Header that carries the Fabric transaction id of a write. */
export const TRANSACTION_ID_HEADER = 'x-transaction-id';

/** Names the matched route for logs and metrics (the template, never the raw URL). */
function markRoute(route: RouteDefinition): RequestHandler {
  return (_req, res, next) => {
    requestContext(res).route = route.path;
    next();
  };
}

function authenticate(route: RouteDefinition, authenticator: ApiKeyAuthenticator): RequestHandler {
  return (req, res, next) => {
    if (route.access === 'public') return next();
    const ctx = requestContext(res);
    const presented = req.get(API_KEY_HEADER);
    if (!presented) {
      res.setHeader('www-authenticate', `ApiKey header="${API_KEY_HEADER}"`);
      return next(new GatewayError(G.UNAUTHENTICATED, `this endpoint needs an API key in the ${API_KEY_HEADER} header`));
    }
    // The rate limiter, which runs first, has already authenticated this same header.
    const identity = ctx.apiKey ?? authenticator.authenticate(presented);
    if (!identity) {
      res.setHeader('www-authenticate', `ApiKey header="${API_KEY_HEADER}"`);
      return next(new GatewayError(G.UNAUTHENTICATED, 'the API key is not valid'));
    }
    ctx.apiKey = identity;
    if (route.access !== 'anyKey' && identity.role !== route.access) {
      return next(new GatewayError(G.FORBIDDEN, `this endpoint is for ${route.access} keys; the key presented is a ${identity.role} key`));
    }
    next();
  };
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** Refuses bodies that are not UTF-8 JSON before reading them; a request without a body passes. */
const requireJson: RequestHandler = (req, _res, next) => {
  // `req.is` is null without a body, false for a body of another type (or of no stated type).
  if (req.is('application/json') === false) {
    return next(new GatewayError(G.UNSUPPORTED_MEDIA_TYPE, 'the request body must be application/json'));
  }
  // JSON between systems is UTF-8 (RFC 8259); the body parser would also decode UTF-16.
  const charset = CHARSET.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return next(new GatewayError(G.UNSUPPORTED_MEDIA_TYPE, 'the request body must be UTF-8 encoded'));
  }
  next();
};

/**
 * Refuses a body that is not valid UTF-8. The parser would decode each bad byte to U+FFFD, and
 * the request would go on to write something the client never sent.
 */
function requireUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw new GatewayError(G.UNSUPPORTED_MEDIA_TYPE, 'the request body is not valid UTF-8');
}

function collect(location: IssueLocation, schema: z.ZodType | undefined, value: unknown, issues: ValidationIssue[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) issues.push({ location, path: issuePath(issue), message: issueMessage(issue) });
  return undefined;
}

function handle(route: RouteDefinition): RequestHandler {
  return async (req: Request, res) => {
    const ctx = requestContext(res);
    const issues: ValidationIssue[] = [];
    const params = collect('params', route.params, req.params, issues) as Record<string, unknown> | undefined;
    const query = collect('query', route.query, req.query, issues) as Record<string, unknown> | undefined;
    // A route that declares no query takes none: unknown parameters are refused, not ignored.
    if (!route.query) for (const name of Object.keys(req.query as object)) issues.push({ location: 'query', path: name, message: 'unknown query parameter' });
    // Without a body express leaves req.body undefined; the schema then reports it as missing.
    const body = collect('body', route.body, req.body, issues);
    if (issues.length > 0) throw new ValidationError(issues);

    const reply = await route.handler({ params, query, body, context: ctx });
    res.setHeader('cache-control', 'no-store');
    if (isStreamReply(reply)) {
      await sendEventStream(req, res, reply);
      return;
    }
    if (isRawReply(reply)) {
      res.status(reply.status ?? 200).type(reply.contentType).send(reply.raw);
      return;
    }
    if (reply.transactionId !== undefined) {
      ctx.transactionId = reply.transactionId;
      res.setHeader(TRANSACTION_ID_HEADER, reply.transactionId);
    }
    res.status(reply.status ?? 200).type('application/json').send(JSON.stringify(reply.body));
  };
}

/**
 * Registers each route on the app, in order: authentication (before the body is read, so an
 * unauthenticated client cannot make the gateway parse megabytes), media type, body parsing,
 * validation of params, query and body together (all problems in one answer), then the handler.
 */
export function registerRoutes(app: Express, routes: readonly RouteDefinition[], authenticator: ApiKeyAuthenticator): void {
  for (const route of routes) {
    const chain: RequestHandler[] = [markRoute(route), authenticate(route, authenticator)];
    if (route.body) {
      chain.push(requireJson, express.json({ limit: route.bodyLimit ?? DEFAULT_BODY_LIMIT, strict: true, type: 'application/json', verify: requireUtf8 }));
    }
    chain.push(handle(route));
    app[route.method](route.path, ...chain);
  }
}
