import { z } from 'zod';
import { GatewayConfigError } from './gatewayError';
import { issueMessage, issuePath } from './zodIssues';

/** Roles a member org (and therefore its gateway and its API keys) can have. */
export const MemberRoles = ['certifier', 'bank', 'issuer'] as const;

/** One of {@link MemberRoles}. */
export type MemberRole = (typeof MemberRoles)[number];

/**
 * Roles an API key can have: the org's own role, or `admin`, whose holders submit the org's
 * governance transactions with the org's admin identity (`adminIdentity`).
 */
export const ApiKeyRoles = [...MemberRoles, 'admin'] as const;

/** One of {@link ApiKeyRoles}. */
export type ApiKeyRole = (typeof ApiKeyRoles)[number];

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const MSP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// Fabric's own rules for channel and chaincode names.
const CHANNEL = /^[a-z][a-z0-9.-]{0,248}$/;
const CHAINCODE = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
const ENDPOINT = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

const path = z.string().min(1, 'must be a file path');
const timeout = (fallback: number) => z.number().int().min(100).max(600_000).default(fallback);

/** One API key. Only the SHA-256 of the key is configured; the key itself is never stored. */
export const ApiKeyConfigSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9._-]'),
  keyHash: z.string().regex(HEX_SHA256, 'must be the SHA-256 of the key as 64 lower-case hex digits'),
  role: z.enum(ApiKeyRoles),
});

const perWindow = (fallback: number) => z.number().int().min(1).max(100_000_000).default(fallback);

/**
 * Request limits, counted in fixed windows. The defaults are far above what one busy member sends
 * in normal use (the benchmark, which drives the gateway flat out, raises them explicitly).
 */
export const RateLimitConfigSchema = z.strictObject({
  windowSeconds: z.number().int().min(1).max(3600).default(60),
  /** Requests per window per API key (requests that present a valid key). */
  perKey: perWindow(60_000),
  /** Requests per window per client address, keyed or not. */
  perAddress: perWindow(120_000),
  /** Requests per window per client address without a valid key: public routes, unknown paths, failed logins; operations routes count apart. */
  anonymousPerAddress: perWindow(1_200),
  /** Most clients each limiter remembers; bounds the limiters' memory (least recently seen forgotten first). */
  maxClients: z.number().int().min(100).max(10_000_000).default(100_000),
  /** Reverse proxies in front of the gateway whose X-Forwarded-For is trusted for the client address (0: none). */
  trustedProxyHops: z.number().int().min(0).max(10).default(0),
});

/**
 * One Fabric node of the network whose operations service the gateway probes for
 * `GET /v1/network/status` (its `/healthz`, and `ledger_blockchain_height` from `/metrics`).
 */
export const NetworkNodeConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be a node name such as peer0.bank1'),
  kind: z.enum(['peer', 'orderer']),
  org: z.string().min(1).max(64),
  operationsUrl: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the node\'s operations service' }),
});

/**
 * The org's RPC adapter (docs/rpc-adapter.md), which `GET /v1/network/private-chains` asks for
 * the org's linked private chains and their sync status. The gateway calls it over mutual TLS
 * with its own Fabric identity (`identity`) as the client certificate: the adapter accepts any
 * certificate issued by a member org's MSP CA and answers with that org's links only.
 */
export const RpcAdapterConfigSchema = z.strictObject({
  address: z.string().regex(ENDPOINT, 'must be host:port of the RPC adapter'),
  /** The CA that issued the adapter's TLS server certificate (PEM). */
  serverCaPath: path,
  /** The name the adapter's server certificate is checked against, when it differs from the address's host (e.g. `localhost` for an IP address). */
  serverName: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a DNS name').optional(),
});

/** The configured RPC adapter. */
export type RpcAdapterConfig = z.output<typeof RpcAdapterConfigSchema>;

/** One configured network node. */
export type NetworkNodeConfig = z.output<typeof NetworkNodeConfigSchema>;

/** Limits used when the configuration names none. */
export const DEFAULT_RATE_LIMIT = RateLimitConfigSchema.parse({});

/**
 * The gateway's configuration. Parsed once at start-up; every problem is reported at once.
 */
export const GatewayConfigSchema = z
  .strictObject({
    org: z.strictObject({
      name: z.string().regex(NAME, 'must be a lower-case org name such as certifier1'),
      mspId: z.string().regex(MSP_ID, 'must be a Fabric MSP ID'),
      role: z.enum(MemberRoles),
      /** Shown to people in the wallet ("Bank One asks for …"). */
      displayName: z.string().min(1).max(128).optional(),
    }),
    listen: z.strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535),
    }),
    peer: z.strictObject({
      endpoint: z.string().regex(ENDPOINT, 'must be host:port of the org\'s peer'),
      hostNameOverride: z.string().min(1).optional(),
      tlsCaPath: path,
    }),
    identity: z.strictObject({ certPath: path, keyPath: path }),
    /**
     * The org's admin identity (an Admin of its MSP), used only for governance transactions by
     * `admin` API keys. Absent: the gateway has no admin routes' writes, and refuses admin keys.
     */
    adminIdentity: z.strictObject({ certPath: path, keyPath: path }).optional(),
    /** The consortium's name (network.yaml `name`); with the channel it is the network id statements name. */
    consortium: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a lower-case network name').default('kyc-ledger'),
    channel: z.string().regex(CHANNEL, 'must be a Fabric channel name'),
    chaincode: z.string().regex(CHAINCODE, 'must be a Fabric chaincode name'),
    /**
     * Directory of the gateway's embedded store (classic-level): its ledger replica and the
     * follower's checkpoint, so a restart resumes from there. Absent: kept in memory and rebuilt
     * from block 0 at every start.
     */
    dataDir: path.optional(),
    /**
     * Processes serving this configuration on its one port (node:cluster; one per core is
     * sensible). Each has its own memory and, under `dataDir`, its own `instance-<i>` store; they
     * share nothing but the ledger (see docs/gateway.md, "Several instances").
     */
    instances: z.number().int().min(1).max(64).default(1),
    apiKeys: z.array(ApiKeyConfigSchema).default([]),
    publicBaseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    sessionTtlSeconds: z.number().int().min(30).max(86_400).default(300),
    /**
     * The web wallet people use (a bank's QR code sends the phone there), e.g.
     * `http://127.0.0.1:17010/app/wallet/`. When set, a new session also answers `walletLink`
     * (this URL with the session's kycledger:// uri as fragment), which its QR code then carries.
     */
    walletUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    cors: z
      .strictObject({
        enabled: z.boolean().default(false),
        origins: z.array(z.url({ protocol: /^https?$/ })).default([]),
      })
      .default({ enabled: false, origins: [] }),
    rateLimit: RateLimitConfigSchema.default(DEFAULT_RATE_LIMIT),
    /**
     * The network's nodes whose health and height `GET /v1/network/status` reports (the network
     * CLI lists every peer and orderer). Absent: the route reports the gateway's own peer only.
     */
    nodes: z.array(NetworkNodeConfigSchema).max(100).default([]),
    /** The org's RPC adapter, for the linked private chains' sync status. Absent: the route answers `configured: false`. */
    rpcAdapter: RpcAdapterConfigSchema.optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    timeouts: z
      .strictObject({
        evaluateMs: timeout(15_000),
        endorseMs: timeout(30_000),
        submitMs: timeout(15_000),
        commitStatusMs: timeout(60_000),
        /** How long `GET /v1/network/status` waits for each node (and for each of its own ledger reads). */
        nodeProbeMs: timeout(2_000),
      })
      .default({ evaluateMs: 15_000, endorseMs: 30_000, submitMs: 15_000, commitStatusMs: 60_000, nodeProbeMs: 2_000 }),
  })
  // The cross-field checks run even when other fields failed, so one run reports every problem;
  // the value can then be partly invalid, hence the defensive reads.
  .superRefine(
    (parsed, ctx) => {
      const config = parsed as unknown as LooseConfig;
      const orgRole = typeof config.org?.role === 'string' && (MemberRoles as readonly string[]).includes(config.org.role) ? config.org.role : undefined;
      const seenIds = new Set<unknown>();
      const seenHashes = new Set<unknown>();
      (Array.isArray(config.apiKeys) ? (config.apiKeys as { id?: unknown; keyHash?: unknown; role?: unknown }[]) : []).forEach((key, i) => {
        if (key === null || typeof key !== 'object') return;
        if (typeof key.id === 'string' && seenIds.has(key.id)) ctx.addIssue({ code: 'custom', path: ['apiKeys', i, 'id'], message: `duplicate API key id ${key.id}` });
        if (typeof key.keyHash === 'string' && seenHashes.has(key.keyHash)) ctx.addIssue({ code: 'custom', path: ['apiKeys', i, 'keyHash'], message: 'duplicate key hash' });
        seenIds.add(key.id);
        seenHashes.add(key.keyHash);
        // The gateway acts with the org's Fabric identity, so a key of another role could never
        // pass the chaincode's checks: refuse it here rather than fail on every request.
        if (key.role === 'admin') {
          if (config.adminIdentity === undefined) ctx.addIssue({ code: 'custom', path: ['apiKeys', i, 'role'], message: 'an admin key needs adminIdentity (the org admin\'s certificate and key)' });
        } else if (orgRole !== undefined && typeof key.role === 'string' && key.role !== orgRole) {
          ctx.addIssue({ code: 'custom', path: ['apiKeys', i, 'role'], message: `must be the org's role (${orgRole}) or admin` });
        }
      });
      if (config.cors?.enabled === true && Array.isArray(config.cors.origins) && config.cors.origins.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['cors', 'origins'], message: 'CORS is enabled but no origin is allowed' });
      }
    },
    { when: () => true },
  );

interface LooseConfig {
  org?: { role?: unknown };
  adminIdentity?: unknown;
  apiKeys?: unknown;
  cors?: { enabled?: unknown; origins?: unknown };
}

/** A parsed gateway configuration, defaults filled in. */
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;

/** The parsed request limits. */
export type RateLimitConfig = z.output<typeof RateLimitConfigSchema>;

/** One configured API key. */
export type ApiKeyConfig = z.output<typeof ApiKeyConfigSchema>;

/**
 * Checks a configuration document (already read from YAML, JSON or the environment) against
 * {@link GatewayConfigSchema}. Throws {@link GatewayConfigError} listing every problem.
 */
export function parseGatewayConfig(document: unknown, source?: string): GatewayConfig {
  const parsed = GatewayConfigSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issuePath(issue) || '(root)'}: ${issueMessage(issue)}`);
    throw new GatewayConfigError(problems, source);
  }
  return parsed.data;
}
