import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GatewayErrorCodes, KycError } from '@kyc-ledger/api';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const file = z.string().min(1, 'a file path');

/**
 * The adapter's configuration (YAML or JSON). Relative paths are relative to the file's folder.
 *
 * - `listen`: where the gRPC server listens.
 * - `dataDir`: the embedded store (classic-level): registry, links, the follower's checkpoint.
 * - `tls`: the server's certificate and key (PEM).
 * - `orgs`: each member org the adapter serves, with its MSP CA certificates (for a network made
 *   by `kyc-network`: `<network dir>/crypto/peerOrganizations/<org domain>/msp/cacerts/*.pem`);
 *   a client certificate issued by one of them is that org.
 * - `tokenSecretFile`: the key resume and page tokens are signed with (at least 32 bytes); keep it
 *   across restarts or every client's tokens become invalid.
 * - `heartbeatMs`, `resumeTokenTtlMs`: see WatchChanges in the .proto and docs/rpc-adapter.md.
 * - `ledger`: how the adapter follows the channel — as the client identity of one member org
 *   (`mspId`), through that org's peer; the same shape as a gateway's `peer` and `identity`
 *   (`certPath`/`keyPath` may name a file or a folder holding one file). Absent: no follower runs
 *   and the registry stays as it is on disk (tests of the gRPC service alone).
 * - `sync`: the EVM sync. `masterSecretFile` (at least 32 bytes) is what every link's sync account
 *   key derives from (HKDF over the link id); losing it loses the accounts. `autoLink` links each
 *   new asset of `org` to `chain` by itself: it deploys a KycRegistryToken whose owner is the
 *   link's sync account (a dev setup; an institution deploys its own and calls LinkChain), and
 *   funds that account from the dev chain's unlocked developer account when `fundFromDevAccount`.
 */
export const rpcAdapterConfigSchema = z.strictObject({
  listen: z.strictObject({ host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(1).max(65535) }),
  dataDir: file,
  tls: z.strictObject({ certFile: file, keyFile: file }),
  orgs: z.array(z.strictObject({ mspId: z.string().min(1), caCertFiles: z.array(file).min(1) })).min(1, 'at least one member org'),
  tokenSecretFile: file,
  heartbeatMs: z.number().int().min(100).max(600_000).default(15_000),
  resumeTokenTtlMs: z.number().int().min(60_000).default(7 * 24 * 3600_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ledger: z
    .strictObject({
      mspId: z.string().min(1),
      channel: z.string().min(1),
      chaincode: z.string().min(1),
      peer: z.strictObject({ endpoint: z.string().min(1), hostNameOverride: z.string().min(1).optional(), tlsCaPath: file }),
      identity: z.strictObject({ certPath: file, keyPath: file }),
    })
    .optional(),
  sync: z
    .strictObject({
      masterSecretFile: file,
      autoLink: z
        .array(
          z.strictObject({
            org: z.string().min(1),
            chain: z.strictObject({
              chainId: z.number().int().positive(),
              rpcUrl: z.url({ protocol: /^https?$/ }),
              confirmations: z.number().int().min(1).default(1),
            }),
            fundFromDevAccount: z.boolean().default(false),
          }),
        )
        .default([]),
    })
    .optional(),
});

/** A validated configuration, paths made absolute. */
export type RpcAdapterConfig = z.infer<typeof rpcAdapterConfigSchema>;

/**
 * Reads and validates the configuration once, at start: INVALID_CONFIG listing every problem
 * (`details.problems`), including files that cannot be read.
 */
export function loadRpcAdapterConfig(configFile: string): RpcAdapterConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(configFile, 'utf8'));
  } catch (error) {
    throw new KycError(GatewayErrorCodes.INVALID_CONFIG, `cannot read ${configFile}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = rpcAdapterConfigSchema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  if (!parsed.success) throw invalid(configFile, problems);
  const base = path.dirname(path.resolve(configFile));
  const abs = (p: string) => path.resolve(base, p);
  const config: RpcAdapterConfig = {
    ...parsed.data,
    dataDir: abs(parsed.data.dataDir),
    tls: { certFile: abs(parsed.data.tls.certFile), keyFile: abs(parsed.data.tls.keyFile) },
    orgs: parsed.data.orgs.map((o) => ({ mspId: o.mspId, caCertFiles: o.caCertFiles.map(abs) })),
    tokenSecretFile: abs(parsed.data.tokenSecretFile),
    ...(parsed.data.ledger && {
      ledger: {
        ...parsed.data.ledger,
        peer: { ...parsed.data.ledger.peer, tlsCaPath: abs(parsed.data.ledger.peer.tlsCaPath) },
        identity: { certPath: abs(parsed.data.ledger.identity.certPath), keyPath: abs(parsed.data.ledger.identity.keyPath) },
      },
    }),
    ...(parsed.data.sync && { sync: { ...parsed.data.sync, masterSecretFile: abs(parsed.data.sync.masterSecretFile) } }),
  };
  const files: Array<[string, string]> = [
    ['tls.certFile', config.tls.certFile],
    ['tls.keyFile', config.tls.keyFile],
    ['tokenSecretFile', config.tokenSecretFile],
    ...config.orgs.flatMap((o, i) => o.caCertFiles.map((f, j): [string, string] => [`orgs.${i}.caCertFiles.${j}`, f])),
    ...(config.ledger
      ? ([
          ['ledger.peer.tlsCaPath', config.ledger.peer.tlsCaPath],
          ['ledger.identity.certPath', config.ledger.identity.certPath],
          ['ledger.identity.keyPath', config.ledger.identity.keyPath],
        ] as Array<[string, string]>)
      : []),
    ...(config.sync ? ([['sync.masterSecretFile', config.sync.masterSecretFile]] as Array<[string, string]>) : []),
  ];
  for (const [field, f] of files) {
    try {
      // The ledger identity may name a folder holding one file (cryptogen's signcerts/, keystore/).
      if (statSync(f).isDirectory()) {
        if (readdirSync(f).length === 0) throw new Error('empty folder');
      } else readFileSync(f);
    } catch {
      problems.push(`${field}: cannot read ${f}`);
    }
  }
  if (problems.length === 0 && readFileSync(config.tokenSecretFile).length < 32) problems.push('tokenSecretFile: at least 32 bytes');
  if (problems.length === 0 && config.sync && readFileSync(config.sync.masterSecretFile).length < 32) problems.push('sync.masterSecretFile: at least 32 bytes');
  if (config.ledger && !mspIdsOf(config).includes(config.ledger.mspId)) problems.push(`ledger.mspId: ${config.ledger.mspId} is not one of orgs`);
  config.sync?.autoLink.forEach((auto, i) => {
    if (!mspIdsOf(config).includes(auto.org)) problems.push(`sync.autoLink.${i}.org: ${auto.org} is not one of orgs`);
    if (!config.ledger) problems.push(`sync.autoLink.${i}: auto-linking needs the ledger section (it reacts to followed AssetCreated changes)`);
  });
  const mspIds = config.orgs.map((o) => o.mspId);
  for (const dup of new Set(mspIds.filter((m, i) => mspIds.indexOf(m) !== i))) problems.push(`orgs: ${dup} is listed twice`);
  if (problems.length > 0) throw invalid(configFile, problems);
  return config;
}

function mspIdsOf(config: RpcAdapterConfig): string[] {
  return config.orgs.map((o) => o.mspId);
}

function invalid(configFile: string, problems: string[]): KycError {
  return new KycError(GatewayErrorCodes.INVALID_CONFIG, `invalid configuration ${configFile}:\n  ${problems.join('\n  ')}`, { details: { problems } });
}
