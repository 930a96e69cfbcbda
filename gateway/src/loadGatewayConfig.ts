import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseGatewayConfig, type GatewayConfig } from './gatewayConfig';
import { GatewayConfigError } from './gatewayError';

/** Where {@link loadGatewayConfig} reads from. */
export interface LoadGatewayConfigOptions {
  /** YAML or JSON file; defaults to `KYC_GATEWAY_CONFIG` from `env`. Optional when `env` has everything. */
  file?: string;
  /** Environment whose `KYC_GATEWAY_*` variables override the file; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Check that the TLS CA, certificate and key exist (default true). */
  checkFiles?: boolean;
}

type EnvKind = 'string' | 'int' | 'bool' | 'json' | 'list';

/** Environment variables and the configuration keys they set. */
export const GATEWAY_ENV: Readonly<Record<string, readonly [path: string, kind: EnvKind]>> = {
  KYC_GATEWAY_ORG_NAME: ['org.name', 'string'],
  KYC_GATEWAY_MSP_ID: ['org.mspId', 'string'],
  KYC_GATEWAY_ROLE: ['org.role', 'string'],
  KYC_GATEWAY_HOST: ['listen.host', 'string'],
  KYC_GATEWAY_PORT: ['listen.port', 'int'],
  KYC_GATEWAY_PEER_ENDPOINT: ['peer.endpoint', 'string'],
  KYC_GATEWAY_PEER_HOST_NAME_OVERRIDE: ['peer.hostNameOverride', 'string'],
  KYC_GATEWAY_PEER_TLS_CA: ['peer.tlsCaPath', 'string'],
  KYC_GATEWAY_CERT: ['identity.certPath', 'string'],
  KYC_GATEWAY_KEY: ['identity.keyPath', 'string'],
  KYC_GATEWAY_ADMIN_CERT: ['adminIdentity.certPath', 'string'],
  KYC_GATEWAY_ADMIN_KEY: ['adminIdentity.keyPath', 'string'],
  KYC_GATEWAY_CHANNEL: ['channel', 'string'],
  KYC_GATEWAY_CHAINCODE: ['chaincode', 'string'],
  KYC_GATEWAY_API_KEYS: ['apiKeys', 'json'],
  KYC_GATEWAY_PUBLIC_BASE_URL: ['publicBaseUrl', 'string'],
  KYC_GATEWAY_SESSION_TTL_SECONDS: ['sessionTtlSeconds', 'int'],
  KYC_GATEWAY_WALLET_URL: ['walletUrl', 'string'],
  KYC_GATEWAY_CORS_ENABLED: ['cors.enabled', 'bool'],
  KYC_GATEWAY_CORS_ORIGINS: ['cors.origins', 'list'],
  KYC_GATEWAY_LOG_LEVEL: ['logLevel', 'string'],
  KYC_GATEWAY_INSTANCES: ['instances', 'int'],
  KYC_GATEWAY_RATE_LIMIT_WINDOW_SECONDS: ['rateLimit.windowSeconds', 'int'],
  KYC_GATEWAY_RATE_LIMIT_PER_KEY: ['rateLimit.perKey', 'int'],
  KYC_GATEWAY_RATE_LIMIT_PER_ADDRESS: ['rateLimit.perAddress', 'int'],
  KYC_GATEWAY_RATE_LIMIT_ANONYMOUS_PER_ADDRESS: ['rateLimit.anonymousPerAddress', 'int'],
  KYC_GATEWAY_RATE_LIMIT_MAX_CLIENTS: ['rateLimit.maxClients', 'int'],
  KYC_GATEWAY_TRUSTED_PROXY_HOPS: ['rateLimit.trustedProxyHops', 'int'],
};

const PATH_KEYS = ['peer.tlsCaPath', 'identity.certPath', 'identity.keyPath', 'adminIdentity.certPath', 'adminIdentity.keyPath', 'rpcAdapter.serverCaPath'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function getAt(doc: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = doc;
  for (const key of dotted.split('.')) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function setAt(doc: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = doc;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function envValue(name: string, raw: string, kind: EnvKind, problems: string[]): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'int':
      if (/^[0-9]{1,9}$/.test(raw)) return Number(raw);
      problems.push(`${name}: must be a whole number`);
      return undefined;
    case 'bool':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      problems.push(`${name}: must be true or false`);
      return undefined;
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    case 'json':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        problems.push(`${name}: must be JSON`);
        return undefined;
      }
  }
}

function readDocument(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`cannot read ${file}: ${(error as Error).message}`);
    return {};
  }
  try {
    // YAML is a superset of JSON, so one parser reads both formats.
    const doc: unknown = parseYaml(text);
    if (isRecord(doc)) return doc;
    problems.push(`${file}: must hold a mapping at the top level`);
  } catch (error) {
    problems.push(`${file}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  return {};
}

/**
 * A cryptogen-style MSP folder (`signcerts/`, `keystore/`) holds exactly one file, so a folder is
 * accepted in place of that file. Returns the file, or a problem.
 */
function resolveFile(file: string): string | { problem: string } {
  try {
    const stat = statSync(file);
    if (stat.isFile()) return file;
    if (stat.isDirectory()) {
      const entries = readdirSync(file).filter((name) => !name.startsWith('.'));
      if (entries.length === 1) return path.join(file, entries[0] as string);
      return { problem: `${file} is a directory with ${entries.length} files; name the file` };
    }
    return { problem: `${file} is not a file` };
  } catch {
    return { problem: `no such file ${file}` };
  }
}

/**
 * Reads the configuration from a YAML/JSON file and `KYC_GATEWAY_*` environment variables (the
 * environment wins), checks it and resolves file paths (relative paths in the file are relative
 * to the file). Throws {@link GatewayConfigError} listing every problem.
 */
export function loadGatewayConfig(options: LoadGatewayConfigOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.KYC_GATEWAY_CONFIG;
  const problems: string[] = [];
  const doc = file ? readDocument(file, problems) : {};
  const baseDir = file ? path.dirname(path.resolve(file)) : process.cwd();
  for (const key of PATH_KEYS) {
    const value = getAt(doc, key);
    if (typeof value === 'string' && value.length > 0) setAt(doc, key, path.resolve(baseDir, value));
  }
  for (const [name, [key, kind]] of Object.entries(GATEWAY_ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = envValue(name, raw, kind, problems);
    if (value === undefined) continue;
    setAt(doc, key, kind === 'string' && (PATH_KEYS as readonly string[]).includes(key) ? path.resolve(raw) : value);
  }
  if (problems.length > 0) throw new GatewayConfigError(problems, file);
  const config = parseGatewayConfig(doc, file);
  if (options.checkFiles === false) return config;

  const resolved = { tlsCaPath: resolveFile(config.peer.tlsCaPath), certPath: resolveFile(config.identity.certPath), keyPath: resolveFile(config.identity.keyPath) };
  const admin = config.adminIdentity && { certPath: resolveFile(config.adminIdentity.certPath), keyPath: resolveFile(config.adminIdentity.keyPath) };
  const adapterCa = config.rpcAdapter && resolveFile(config.rpcAdapter.serverCaPath);
  const fileProblems = [
    ...Object.entries(resolved).flatMap(([key, r]) => (typeof r === 'string' ? [] : [`${key === 'tlsCaPath' ? 'peer' : 'identity'}.${key}: ${r.problem}`])),
    ...Object.entries(admin ?? {}).flatMap(([key, r]) => (typeof r === 'string' ? [] : [`adminIdentity.${key}: ${r.problem}`])),
    ...(adapterCa !== undefined && typeof adapterCa !== 'string' ? [`rpcAdapter.serverCaPath: ${adapterCa.problem}`] : []),
  ];
  if (fileProblems.length > 0) throw new GatewayConfigError(fileProblems, file);
  return {
    ...config,
    peer: { ...config.peer, tlsCaPath: resolved.tlsCaPath as string },
    identity: { certPath: resolved.certPath as string, keyPath: resolved.keyPath as string },
    ...(admin && { adminIdentity: { certPath: admin.certPath as string, keyPath: admin.keyPath as string } }),
    ...(config.rpcAdapter && { rpcAdapter: { ...config.rpcAdapter, serverCaPath: adapterCa as string } }),
  };
}
