import type { RequestHandler } from 'express';
import type { GatewayConfig } from './gatewayConfig';
import { API_KEY_HEADER, TRANSACTION_ID_HEADER } from './registerRoutes';
import { REQUEST_ID_HEADER } from './requestContext';

/**
 * CORS for the configured origins only (off unless enabled): browsers of other origins get no
 * CORS headers and so cannot read answers. Preflights of allowed origins are answered here.
 */
export function corsMiddleware(cors: GatewayConfig['cors']): RequestHandler {
  const origins = new Set(cors.origins.map((o) => new URL(o).origin));
  return (req, res, next) => {
    const origin = req.get('origin');
    if (!cors.enabled || !origin || !origins.has(origin)) return next();
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    // Retry-After and the RateLimit headers are not CORS-safelisted: without this a browser client
    // could not honour a 429.
    res.setHeader('access-control-expose-headers', `${REQUEST_ID_HEADER}, ${TRANSACTION_ID_HEADER}, retry-after, ratelimit, ratelimit-policy`);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', `content-type, ${API_KEY_HEADER}, ${REQUEST_ID_HEADER}`);
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
