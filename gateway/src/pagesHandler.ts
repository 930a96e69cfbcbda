import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';

/** Where the pages are served: `/app/wallet/`, `/app/counter/`, `/app/admin/`, `/app/issuer/`. */
export const PAGES_PATH = '/app';

/**
 * The pages' Content Security Policy: scripts, styles and images only from this gateway, no
 * framing (clickjacking of the consent button), and requests only to this gateway, except for the
 * wallet, which POSTs its consented disclosure to another member's gateway (the bank's
 * `submitUrl`) and so may connect to any http(s) origin. The camera feed is a media stream.
 */
function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src ${connectSrc}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}
const WALLET_POLICY = contentSecurityPolicy("'self' http: https:");
const STAFF_POLICY = contentSecurityPolicy("'self'");

/** The built pages (pages/dist), or undefined when the pages package is not built. */
export function builtPagesDirectory(): string | undefined {
  let dir: string;
  try {
    dir = path.join(path.dirname(require.resolve('@kyc-ledger/pages/package.json')), 'dist');
  } catch {
    return undefined;
  }
  return existsSync(path.join(dir, 'build.json')) ? dir : undefined;
}

/**
 * Serves the built pages under {@link PAGES_PATH}, behind the same rate limits as the API (the
 * pages call the API with the user's own key; the files themselves need none). When the pages are
 * not built the paths fall through to the gateway's coded 404.
 */
export function pagesHandler(opts: { directory?: string | undefined; logger: Logger }): Router {
  const router = express.Router();
  const directory = opts.directory;
  if (!directory) {
    opts.logger.warn('the pages are not built (node pages/build.mjs): /app/ answers 404');
    return router;
  }
  const headers: RequestHandler = (req, res, next) => {
    res.setHeader('content-security-policy', req.path.startsWith('/wallet/') || req.path === '/wallet' ? WALLET_POLICY : STAFF_POLICY);
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('permissions-policy', 'camera=(self), microphone=(), geolocation=()');
    next();
  };
  router.use(
    PAGES_PATH,
    headers,
    express.static(directory, {
      index: 'index.html',
      redirect: true,
      dotfiles: 'ignore',
      // HTML and scripts change with every build and carry no hash in their names: revalidate.
      cacheControl: true,
      maxAge: 0,
      setHeaders(res) {
        res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
  return router;
}
