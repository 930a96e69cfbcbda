import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, NetworkError } from './errors';
import { DEFAULT_HOST, hostPort, hostSchema, hostUrl } from './hosts/hostAddress';

/** The roles a member organisation can hold (DESIGN.md "Actors"); `admin` is every org's admin. */
export const ORG_ROLES = ['certifier', 'bank', 'issuer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

const port = z.number().int().min(1024).max(65535);
const nodeName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and dashes, starting with a letter');
const mspId = z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{0,63}$/, 'must be letters, digits, dots and dashes, starting with a letter');
const domain = z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'must be a DNS name');
const duration = z.string().regex(/^\d+(ms|s)$/, 'must be a duration such as 500ms or 2s');

const peerSchema = z
  .object({
    name: nodeName,
    host: hostSchema.optional().describe('address this peer listens on and is reached at; default: its org\'s host'),
    port: port.optional().describe('gRPC port for clients, gossip and the gateway service'),
    chaincodePort: port.optional().describe('port chaincode processes connect back to'),
    operationsPort: port.optional().describe('operations HTTP port (/healthz, /metrics)'),
  })
  .strict();

const ordererNodeSchema = z
  .object({
    name: nodeName,
    host: hostSchema.optional().describe('address this orderer listens on and is reached at; default: the orderer org\'s host'),
    port: port.optional().describe('gRPC port for broadcast, deliver and the cluster (Raft/BFT) service'),
    adminPort: port.optional().describe('channel participation API port (osnadmin)'),
    operationsPort: port.optional().describe('operations HTTP port (/healthz, /metrics)'),
  })
  .strict();

/** An issuing institution's own EVM chain, run locally as a geth dev-mode node (network/src/geth). */
const privateChainSchema = z
  .object({
    name: nodeName.describe('chain name; also its node id for status, logs and kill'),
    org: nodeName.describe('the issuer org whose institution chain this is'),
    kind: z.literal('geth-dev').default('geth-dev').describe('geth --dev: one node, blocks sealed on a timer'),
    blockPeriod: z.number().int().min(1).max(60).default(1).describe('seconds between blocks (geth --dev.period); blocks come even without transactions, so confirmations arrive'),
    httpPort: port.optional().describe('JSON-RPC over HTTP'),
    wsPort: port.optional().describe('JSON-RPC over WebSocket (subscriptions)'),
  })
  .strict();

const timestamp = z.iso.datetime({ offset: false });

/** What a certification body is accredited for at bootstrap; later changes go through governance. */
const accreditationSchema = z
  .object({
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')).min(1),
    claimTopics: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a claim topic')).min(1),
    maxAssuranceLevel: z.enum(['low', 'substantial', 'high']),
    validFrom: timestamp,
    validUntil: timestamp,
  })
  .strict();

const orgSchema = z
  .object({
    name: nodeName,
    mspId,
    role: z.enum(ORG_ROLES),
    displayName: z.string().min(1).max(128).optional(),
    domain: domain.optional(),
    host: hostSchema.optional().describe('address of the machine this org\'s nodes and gateway run on (default 127.0.0.1)'),
    peers: z.array(peerSchema).min(1).default([{ name: 'peer0' }]),
    accreditation: accreditationSchema.optional().describe('certifier orgs only: the scope they may attest'),
  })
  .strict();

/** The schema of network.yaml, before defaults are filled. */
export const networkFileSchema = z
  .object({
    name: nodeName.describe('network name: keeps two networks (e.g. dev and test) apart'),
    dataDir: z.string().min(1).optional().describe('where crypto, ledgers and logs live; relative to this file'),
    ports: z.object({ base: port.default(7000) }).strict().default({ base: 7000 }),
    logLevel: z.enum(['debug', 'info', 'warning', 'error']).default('info'),
    ordererOrg: z
      .object({
        name: nodeName,
        mspId,
        domain: domain.optional(),
        host: hostSchema.optional().describe('address of the machine the orderers run on (default 127.0.0.1)'),
        consensus: z.enum(['raft', 'bft']).default('raft'),
        nodes: z.array(ordererNodeSchema).optional().describe('default: 3 nodes for raft, 4 for bft'),
        batchTimeout: duration.default('500ms'),
        maxMessageCount: z.number().int().min(1).max(100000).default(500),
      })
      .strict(),
    orgs: z.array(orgSchema).min(1, 'at least one member organisation is needed'),
    channel: z
      .object({
        name: z.string().regex(/^[a-z][a-z0-9.-]{0,48}$/, 'must be a valid Fabric channel name'),
        members: z.array(nodeName).optional().describe('member orgs by name; default: every org'),
      })
      .strict(),
    chaincode: z
      .object({
        name: z.string().regex(/^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/, 'must be a valid chaincode name'),
        path: z.string().min(1).default('chaincode'),
        endorsementPolicy: z
          .string()
          .default('MAJORITY')
          .describe('MAJORITY (the channel\'s MAJORITY Endorsement policy), ALL, or a signature policy "OutOf(n, \'Org1MSP.peer\', ...)"'),
        readyFunction: z
          .string()
          .regex(/^[A-Za-z0-9_:.-]{1,128}$/)
          .default('probe:ping')
          .describe('read-only function endorsed to decide the network is ready for writes'),
      })
      .strict(),
    privateChains: z.array(privateChainSchema).default([]).describe('institution EVM chains that `up` starts beside the network'),
  })
  .strict();

export type NetworkFile = z.input<typeof networkFileSchema>;

export interface ResolvedPeer {
  /** Unique node id, e.g. "peer0.bank1". */
  id: string;
  name: string;
  orgName: string;
  mspId: string;
  /** Host name in the node's certificates. */
  hostname: string;
  host: string;
  port: number;
  chaincodePort: number;
  operationsPort: number;
}

export interface ResolvedOrderer {
  id: string;
  name: string;
  hostname: string;
  host: string;
  port: number;
  adminPort: number;
  operationsPort: number;
}

export interface ResolvedOrg {
  name: string;
  mspId: string;
  role: OrgRole;
  displayName: string;
  domain: string;
  /** Where the org's gateway (and, unless a peer names its own, its peers) listen. */
  host: string;
  peers: ResolvedPeer[];
  accreditation?: z.output<typeof accreditationSchema>;
}

export interface ResolvedPrivateChain {
  /** The chain's node id (its name): nodes/<id>/ in the data directory. */
  id: string;
  name: string;
  org: string;
  kind: 'geth-dev';
  blockPeriod: number;
  host: string;
  httpPort: number;
  wsPort: number;
  httpUrl: string;
  wsUrl: string;
}

export interface ResolvedNetwork {
  name: string;
  /** Absolute path of the file this came from (or "<inline>"). */
  source: string;
  dataDir: string;
  portBase: number;
  logLevel: 'debug' | 'info' | 'warning' | 'error';
  ordererOrg: {
    name: string;
    mspId: string;
    domain: string;
    host: string;
    consensus: 'raft' | 'bft';
    batchTimeout: string;
    maxMessageCount: number;
    nodes: ResolvedOrderer[];
  };
  orgs: ResolvedOrg[];
  channel: { name: string; members: string[] };
  chaincode: { name: string; path: string; endorsementPolicy: string; readyFunction: string };
  privateChains: ResolvedPrivateChain[];
  /** Written as each gateway's `rateLimit` section (the gateway checks it); absent: its defaults. */
  gatewayRateLimit?: Readonly<Record<string, number>>;
  /** Processes of each named org's gateway (its config's `instances`); absent orgs run one. */
  gatewayInstances?: Readonly<Record<string, number>>;
}

/** Overrides from the command line, applied before validation so they are validated too. */
export interface NetworkOverrides {
  name?: string;
  dataDir?: string;
  portBase?: number;
  consensus?: 'raft' | 'bft';
  /** The gateways' request limits (the benchmark raises them; see docs/gateway.md). */
  gatewayRateLimit?: Readonly<Record<string, number>>;
  /** Processes per org gateway, by org name (e.g. `{ bank1: 2 }`; the benchmark scales a bank out). */
  gatewayInstances?: Readonly<Record<string, number>>;
}

/** Port layout from the base: base+0..49 for gateways and adapters, orderers from +50, peers from +100. */
const ORDERER_OFFSET = 50;
const PEER_OFFSET = 100;
/** Private chain *i* takes base+40+2i (HTTP) and base+41+2i (WebSocket), in the services range. */
const CHAIN_OFFSET = 40;
const NODE_STRIDE = 10;

function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function fill(file: z.output<typeof networkFileSchema>, source: string, problems: string[]): ResolvedNetwork {
  const baseDir = source === '<inline>' ? process.cwd() : path.dirname(source);
  const base = file.ports.base;
  const ordererDomain = file.ordererOrg.domain ?? `${file.ordererOrg.name}.${file.name}.local`;
  const ordererHost = file.ordererOrg.host ?? DEFAULT_HOST;
  const consensus = file.ordererOrg.consensus;
  const ordererNodes: z.output<typeof ordererNodeSchema>[] =
    file.ordererOrg.nodes ??
    Array.from({ length: consensus === 'bft' ? 4 : 3 }, (_, i) => ({ name: `orderer${i}` }));
  const orderers: ResolvedOrderer[] = ordererNodes.map((node, i) => {
    const first = base + ORDERER_OFFSET + i * NODE_STRIDE;
    return {
      id: node.name,
      name: node.name,
      hostname: `${node.name}.${ordererDomain}`,
      host: node.host ?? ordererHost,
      port: node.port ?? first,
      adminPort: node.adminPort ?? first + 1,
      operationsPort: node.operationsPort ?? first + 2,
    };
  });
  let peerIndex = 0;
  const orgs: ResolvedOrg[] = file.orgs.map((org) => {
    const orgDomain = org.domain ?? `${org.name}.${file.name}.local`;
    const orgHost = org.host ?? DEFAULT_HOST;
    return {
      name: org.name,
      mspId: org.mspId,
      role: org.role,
      displayName: org.displayName ?? org.name,
      domain: orgDomain,
      host: orgHost,
      ...(org.accreditation && { accreditation: org.accreditation }),
      peers: org.peers.map((peer) => {
        const first = base + PEER_OFFSET + peerIndex++ * NODE_STRIDE;
        return {
          id: `${peer.name}.${org.name}`,
          name: peer.name,
          orgName: org.name,
          mspId: org.mspId,
          hostname: `${peer.name}.${orgDomain}`,
          host: peer.host ?? orgHost,
          port: peer.port ?? first,
          chaincodePort: peer.chaincodePort ?? first + 1,
          operationsPort: peer.operationsPort ?? first + 2,
        };
      }),
    };
  });

  const privateChains = (file.privateChains ?? []).map((chain, i): ResolvedPrivateChain => {
    const httpPort = chain.httpPort ?? base + CHAIN_OFFSET + 2 * i;
    const wsPort = chain.wsPort ?? base + CHAIN_OFFSET + 2 * i + 1;
    // An institution chain runs beside its issuer org's nodes.
    const host = orgs.find((o) => o.name === chain.org)?.host ?? DEFAULT_HOST;
    return {
      id: chain.name, name: chain.name, org: chain.org, kind: chain.kind, blockPeriod: chain.blockPeriod,
      host, httpPort, wsPort, httpUrl: hostUrl('http', host, httpPort), wsUrl: hostUrl('ws', host, wsPort),
    };
  });

  if (consensus === 'bft' && orderers.length < 4) problems.push(`ordererOrg.nodes: bft needs at least 4 orderers (has ${orderers.length})`);
  if (consensus === 'raft' && orderers.length < 1) problems.push('ordererOrg.nodes: raft needs at least 1 orderer');

  return {
    name: file.name,
    source,
    dataDir: path.resolve(baseDir, file.dataDir ?? path.join('.kyc-ledger', file.name)),
    portBase: base,
    logLevel: file.logLevel,
    ordererOrg: {
      name: file.ordererOrg.name,
      mspId: file.ordererOrg.mspId,
      domain: ordererDomain,
      host: ordererHost,
      consensus,
      batchTimeout: file.ordererOrg.batchTimeout,
      maxMessageCount: file.ordererOrg.maxMessageCount,
      nodes: orderers,
    },
    orgs,
    channel: { name: file.channel.name, members: file.channel.members ?? file.orgs.map((o) => o.name) },
    chaincode: {
      name: file.chaincode.name,
      path: path.resolve(baseDir, file.chaincode.path),
      endorsementPolicy: file.chaincode.endorsementPolicy,
      readyFunction: file.chaincode.readyFunction,
    },
    privateChains,
  };
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): string[] {
  const seen = new Map<string, number>();
  for (const item of items) seen.set(key(item), (seen.get(key(item)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

const SIGNATURE_POLICY = /^OutOf\(\s*(\d+)\s*,\s*('[A-Za-z0-9.-]+\.(peer|member)'\s*,\s*)*'[A-Za-z0-9.-]+\.(peer|member)'\s*\)$/;

/** Cross-field rules zod cannot express one field at a time. */
function crossCheck(net: ResolvedNetwork, problems: string[]): void {
  const orgNames = net.orgs.map((o) => o.name);
  net.orgs.forEach((org, i) => {
    if (org.accreditation && org.role !== 'certifier') problems.push(`orgs[${i}].accreditation: only certifier orgs are accredited (${org.name} is a ${org.role})`);
    if (org.accreditation && org.accreditation.validFrom >= org.accreditation.validUntil) problems.push(`orgs[${i}].accreditation: validFrom must be before validUntil`);
  });
  for (const name of duplicates(net.orgs, (o) => o.name)) problems.push(`orgs: org name "${name}" is used more than once`);
  for (const name of orgNames.filter((n) => n === net.ordererOrg.name)) problems.push(`orgs: "${name}" is also the orderer org's name`);
  const mspIds = [net.ordererOrg.mspId, ...net.orgs.map((o) => o.mspId)];
  for (const id of duplicates(mspIds, (m) => m)) problems.push(`mspId "${id}" is used by more than one org`);
  const domains = [net.ordererOrg.domain, ...net.orgs.map((o) => o.domain)];
  for (const d of duplicates(domains, (x) => x)) problems.push(`domain "${d}" is used by more than one org`);
  for (const id of duplicates(net.ordererOrg.nodes, (n) => n.id)) problems.push(`ordererOrg.nodes: node name "${id}" is used more than once`);
  net.orgs.forEach((org, i) => {
    for (const id of duplicates(org.peers, (p) => p.name)) problems.push(`orgs[${i}].peers: peer name "${id}" is used more than once in org ${org.name}`);
  });

  // Two nodes may share a port number on different hosts; never one host:port.
  const ports: { host: string; port: number; owner: string }[] = [];
  for (const o of net.ordererOrg.nodes) {
    const host = o.host;
    ports.push({ host, port: o.port, owner: `${o.id}.port` }, { host, port: o.adminPort, owner: `${o.id}.adminPort` }, { host, port: o.operationsPort, owner: `${o.id}.operationsPort` });
  }
  for (const org of net.orgs) {
    for (const p of org.peers) {
      const host = p.host;
      ports.push({ host, port: p.port, owner: `${p.id}.port` }, { host, port: p.chaincodePort, owner: `${p.id}.chaincodePort` }, { host, port: p.operationsPort, owner: `${p.id}.operationsPort` });
    }
  }
  for (const c of net.privateChains) ports.push({ host: c.host, port: c.httpPort, owner: `${c.id}.httpPort` }, { host: c.host, port: c.wsPort, owner: `${c.id}.wsPort` });
  const address = (p: { host: string; port: number }) => hostPort(p.host, p.port);
  for (const dup of duplicates(ports, address)) {
    const same = ports.filter((p) => address(p) === dup);
    problems.push(`port ${same[0]?.port} on ${same[0]?.host} is used more than once: ${same.map((p) => p.owner).join(', ')}`);
  }
  for (const p of ports) if (p.port > 65535) problems.push(`${p.owner}: port ${p.port} is above 65535 (lower ports.base)`);

  net.channel.members.forEach((member, i) => {
    if (!orgNames.includes(member)) problems.push(`channel.members[${i}]: unknown org "${member}" (orgs are: ${orgNames.join(', ') || 'none'})`);
  });
  for (const dup of duplicates(net.channel.members, (m) => m)) problems.push(`channel.members: "${dup}" is listed more than once`);
  if (net.channel.members.length < 2) problems.push('channel.members: at least two member orgs are needed so that no single org can endorse alone');

  net.privateChains.forEach((chain, i) => {
    const org = net.orgs.find((o) => o.name === chain.org);
    if (!org) problems.push(`privateChains[${i}].org: unknown org "${chain.org}" (orgs are: ${orgNames.join(', ') || 'none'})`);
    else if (org.role !== 'issuer') problems.push(`privateChains[${i}].org: ${chain.org} is a ${org.role}; an institution chain belongs to an issuer org`);
    if (net.ordererOrg.nodes.some((n) => n.id === chain.id)) problems.push(`privateChains[${i}].name: "${chain.name}" is also an orderer node's name`);
  });
  for (const name of duplicates(net.privateChains, (c) => c.name)) problems.push(`privateChains: chain name "${name}" is used more than once`);

  const policy = net.chaincode.endorsementPolicy;
  if (policy !== 'MAJORITY' && policy !== 'ALL') {
    const match = SIGNATURE_POLICY.exec(policy);
    if (!match) {
      problems.push(`chaincode.endorsementPolicy: "${policy}" is neither MAJORITY, ALL nor OutOf(n, 'MSP.peer', ...)`);
    } else if (Number(match[1]) < 2) {
      problems.push(`chaincode.endorsementPolicy: "${policy}" lets a single organisation endorse a write; require at least 2`);
    }
  }
  if (!existsSync(path.join(net.chaincode.path, 'package.json'))) {
    problems.push(`chaincode.path: no package.json in ${net.chaincode.path}`);
  }
}

/**
 * Validates a parsed network document, fills every default and returns the resolved network.
 * Throws a ConfigError listing every problem found (not just the first).
 */
export function resolveNetwork(document: unknown, source = '<inline>', overrides: NetworkOverrides = {}): ResolvedNetwork {
  const raw: unknown =
    document && typeof document === 'object' && !Array.isArray(document)
      ? {
          ...document,
          ...(overrides.name !== undefined && { name: overrides.name }),
          ...(overrides.dataDir !== undefined && { dataDir: path.resolve(overrides.dataDir) }),
          ...(overrides.portBase !== undefined && { ports: { base: overrides.portBase } }),
          ...(overrides.consensus !== undefined && {
            ordererOrg: { ...((document as { ordererOrg?: object }).ordererOrg ?? {}), consensus: overrides.consensus },
          }),
        }
      : document;
  // Keep the value zod produced even when some fields failed, so the cross-field checks can
  // still run and the user sees every problem at once rather than one round at a time.
  let salvaged: unknown;
  const capturing = networkFileSchema.refine((value) => ((salvaged = value), true), { when: () => true });
  const parsed = capturing.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`);
  let net: ResolvedNetwork | undefined;
  try {
    net = fill((parsed.success ? parsed.data : salvaged) as z.output<typeof networkFileSchema>, source, problems);
    crossCheck(net, problems);
  } catch {
    // The document is too malformed for cross-field checks; the schema problems say why.
  }
  if (problems.length > 0 || !net) throw new ConfigError(source, problems);
  return {
    ...net,
    ...(overrides.gatewayRateLimit !== undefined && { gatewayRateLimit: overrides.gatewayRateLimit }),
    ...(overrides.gatewayInstances !== undefined && { gatewayInstances: overrides.gatewayInstances }),
  };
}

/** Reads, parses and resolves a network.yaml file. */
export function loadNetwork(file: string, overrides: NetworkOverrides = {}): ResolvedNetwork {
  const source = path.resolve(file);
  if (!existsSync(source)) throw new NetworkError('CONFIG_NOT_FOUND', `network file not found: ${source}`);
  let document: unknown;
  try {
    document = parseYaml(readFileSync(source, 'utf8'));
  } catch (cause) {
    throw new ConfigError(source, [`not valid YAML: ${(cause as Error).message}`]);
  }
  return resolveNetwork(document, source, overrides);
}

/** JSON Schema of network.yaml for editors (yaml-language-server). */
export function networkJsonSchema(): object {
  return {
    ...z.toJSONSchema(networkFileSchema, { io: 'input', target: 'draft-7' }),
    title: 'kyc-ledger network.yaml',
  };
}

/** All peers of the network, in org order. */
export function allPeers(net: ResolvedNetwork): ResolvedPeer[] {
  return net.orgs.flatMap((o) => o.peers);
}
