import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { newApiKeyAuthenticator } from './apiKeys';
import { attestationRoutes } from './attestationRoutes';
import { certifierInvestorRoutes } from './certifierInvestorRoutes';
import { issuerRoutes } from './issuerRoutes';
import { bankRoutes, type SessionSigner } from './bankRoutes';
import { corsMiddleware } from './cors';
import type { LedgerClient } from './fabricClient';
import { problemErrorHandler, unmatchedHandler } from './fallbackHandlers';
import { governanceRoutes } from './governanceRoutes';
import { DEFAULT_RATE_LIMIT, type GatewayConfig } from './gatewayConfig';
import { createGatewayLogger, httpLogger } from './httpLogger';
import { metricsMiddleware, newGatewayMetrics, type GatewayMetrics } from './httpMetrics';
import { buildOpenApiDocument } from './openApiDocument';
import { networkStatusRoutes } from './networkStatusRoutes';
import { adapterChainsReader, PRIVATE_CHAINS_CACHE_MS, PRIVATE_CHAINS_DEADLINE_MS, type AdapterConnector } from './privateChainsReader';
import { privateChainsRoute } from './privateChainsRoute';
import { operationsRoutes } from './operationsRoutes';
import { publicRoutes } from './publicRoutes';
import { rateLimiting } from './rateLimiting';
import { registerRoutes } from './registerRoutes';
import { requestContextMiddleware } from './requestContext';
import { registerTransferCheckMetrics } from './registerViewMetrics';
import type { RouteDefinition } from './routeDefinition';
import { openReplicaStore } from './openReplicaStore';
import { builtPagesDirectory, pagesHandler } from './pagesHandler';
import { createTransferCheckView, TRANSFER_CHECK_REPLICA, type TransferCheckView } from './transferCheckView';

/** The parts of the configuration the HTTP app uses. */
export type AppConfig = Pick<GatewayConfig, 'org' | 'apiKeys' | 'publicBaseUrl' | 'cors' | 'sessionTtlSeconds'> & Partial<Pick<GatewayConfig, 'consortium' | 'channel' | 'chaincode' | 'rateLimit' | 'dataDir' | 'nodes' | 'timeouts' | 'walletUrl'>>;

/** What {@link createApp} is built from. */
export interface AppDependencies {
  config: AppConfig;
  ledger: LedgerClient;
  /** Default: a pino logger at level info on stdout. */
  logger?: Logger;
  /** Default: a fresh registry with Node.js default metrics. */
  metrics?: GatewayMetrics;
  /** How long /readyz waits for `probe:ping` (default 3000 ms). */
  readinessTimeoutMs?: number;
  /** The ledger as the org's admin identity: governance writes of `admin` keys (absent: none configured). */
  adminLedger?: LedgerClient;
  /** A bank's Fabric identity, which signs its verification sessions (required for the bank role). */
  sessionSigner?: SessionSigner;
  /** Clock for session expiry (tests). */
  now?: () => Date;
  /** The built pages served under /app/ (default: the pages package's dist, when built). */
  pagesDirectory?: string;
  /** The org's RPC adapter, for `GET /v1/network/private-chains` (absent: not configured). */
  rpcAdapter?: RpcAdapterAccess;
}

/** How the gateway reaches its org's RPC adapter. */
export interface RpcAdapterAccess {
  connect: AdapterConnector;
  /** Bound of one read of the links and their status (default {@link PRIVATE_CHAINS_DEADLINE_MS}). */
  deadlineMs?: number;
}

/** Version of the HTTP API in the OpenAPI document. */
export const API_VERSION = '1.0.0';

/** The routes an org of this role serves, besides the public and operational ones. */
function roleRoutes(config: AppConfig, ledger: LedgerClient, deps: AppDependencies, metrics: GatewayMetrics, logger: Logger): RouteDefinition[] {
  switch (config.org.role) {
    case 'certifier':
      return [...attestationRoutes(ledger), ...certifierInvestorRoutes(ledger, config.org.mspId)];
    case 'bank':
      return bankRoutes({ config, ledger, signer: deps.sessionSigner, now: deps.now, metrics, logger });
    case 'issuer':
      return issuerRoutes({ ledger, mspId: config.org.mspId, transferChecks: issuerView(config, ledger, metrics), ...(deps.now && { now: deps.now }) });
  }
}

/**
 * The issuer's transfer-check replica, reported on /metrics; kept in the gateway's data dir when
 * it has one (resumed from its checkpoint at start), in memory otherwise.
 */
function issuerView(config: AppConfig, ledger: LedgerClient, metrics: GatewayMetrics): TransferCheckView {
  const view = createTransferCheckView(ledger, {
    mspId: config.org.mspId, channel: config.channel ?? 'kyc', ...(config.dataDir && { db: openReplicaStore(config.dataDir, TRANSFER_CHECK_REPLICA) }),
  });
  registerTransferCheckMetrics(metrics.registry, view);
  return view;
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('x-content-type-options', 'nosniff');
  next();
};

/**
 * The gateway's express app for one org. Only `ledger` reaches Fabric, so tests pass an
 * in-memory double.
 */
export function createApp(deps: AppDependencies): Express {
  const { config, ledger } = deps;
  const logger = deps.logger ?? createGatewayLogger({ base: { org: config.org.name } });
  const metrics = deps.metrics ?? newGatewayMetrics({ defaultLabels: { org: config.org.name } });

  let document: unknown;
  const routes: RouteDefinition[] = [];
  const operations = operationsRoutes({
      ledger,
      metrics,
      readinessTimeoutMs: deps.readinessTimeoutMs ?? 3000,
      // Built on first use, from the final route list (which includes this route).
      openApiDocument: () =>
        (document ??= buildOpenApiDocument(routes, {
          title: `kyc-ledger gateway (${config.org.name}, ${config.org.role})`,
          version: API_VERSION,
          serverUrl: config.publicBaseUrl,
        })),
  });
  routes.push(
    ...operations,
    ...publicRoutes(ledger),
    ...roleRoutes(config, ledger, deps, metrics, logger),
    ...governanceRoutes({ ledger, adminLedger: deps.adminLedger, ...(deps.now && { now: deps.now }) }),
    ...networkStatusRoutes({
      ledger,
      org: config.org.name,
      channel: config.channel ?? 'kyc',
      chaincode: config.chaincode ?? 'kyc',
      nodes: config.nodes ?? [],
      timeoutMs: config.timeouts?.nodeProbeMs ?? 2_000,
    }),
    privateChainsRoute(
      adapterChainsReader({
        mspId: config.org.mspId,
        ...(deps.rpcAdapter && { connect: deps.rpcAdapter.connect }),
        deadlineMs: deps.rpcAdapter?.deadlineMs ?? PRIVATE_CHAINS_DEADLINE_MS,
        cacheMs: PRIVATE_CHAINS_CACHE_MS,
        logger,
        ...(deps.now && { now: () => (deps.now as () => Date)().getTime() }),
      }),
    ),
  );

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  const limits = config.rateLimit ?? DEFAULT_RATE_LIMIT;
  // The client address is the socket's unless trusted proxies in front of us report it.
  if (limits.trustedProxyHops > 0) app.set('trust proxy', limits.trustedProxyHops);
  const authenticator = newApiKeyAuthenticator(config.apiKeys);
  app.use(requestContextMiddleware(), securityHeaders, httpLogger(logger), metricsMiddleware(metrics), corsMiddleware(config.cors));
  app.use(rateLimiting({ limits, authenticator, logger, operationsPaths: new Set(operations.map((route) => route.path)) }));
  app.use(pagesHandler({ directory: deps.pagesDirectory ?? builtPagesDirectory(), logger }));
  registerRoutes(app, routes, authenticator);
  app.use(unmatchedHandler(routes));
  app.use(problemErrorHandler(logger));
  return app;
}
