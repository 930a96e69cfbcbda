import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { requestContext } from './requestContext';

/** Headers whose values never reach a log. */
export const REDACTED_HEADERS: readonly string[] = ['x-api-key', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie'];
const CENSOR = '[redacted]';

/** Options of {@link createGatewayLogger}. */
export interface GatewayLoggerOptions {
  level?: string;
  /** Fields added to every line (org name, …). */
  base?: Record<string, unknown>;
  /** Where lines go; default stdout. */
  destination?: pino.DestinationStream;
}

/**
 * The gateway's pino logger. It redacts credentials itself too, for lines other than the
 * access log that might carry request headers.
 */
export function createGatewayLogger(options: GatewayLoggerOptions = {}): Logger {
  const config: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: 'kyc-gateway', ...options.base },
    redact: { paths: REDACTED_HEADERS.map((h) => `*.headers["${h}"]`), censor: CENSOR },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

function safeHeaders(headers: IncomingHttpHeaders): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...headers };
  for (const name of REDACTED_HEADERS) if (copy[name] !== undefined) copy[name] = CENSOR;
  return copy;
}

/**
 * One access-log line per request when the answer is finished (or the client went away).
 * Bodies are never logged: they can hold what the gateway must not keep. Credentials are
 * replaced here, whatever logger is passed in.
 */
export function httpLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const ctx = requestContext(res);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const status = res.writableFinished ? res.statusCode : 499;
      const line = {
        requestId: ctx.requestId,
        req: { method: req.method, url: req.originalUrl, route: ctx.route, headers: safeHeaders(req.headers), remoteAddress: req.socket.remoteAddress },
        res: { statusCode: status },
        responseTimeMs: Number(process.hrtime.bigint() - ctx.startedAt) / 1e6,
        apiKeyId: ctx.apiKey?.id,
        code: ctx.errorCode,
        transactionId: ctx.transactionId,
      };
      if (status >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
