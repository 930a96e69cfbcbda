import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createGenesisBlock } from './channelConfig';
import { ensureCryptoMaterial } from './cryptoMaterial';
import { NetworkError } from './errors';
import { binaryPath, ensureFabric, type FabricInstall, type FabricInstallOptions } from './fabricBinaries';
import { osnadmin, parseChannelInfo, parseOsnadminJson, peerCli, type OrdererChannelInfo } from './fabricCli';
import { blockHeight } from './geth/chainClient';
import { ensureGeth, type GethInstall, type GethInstallOptions } from './geth/gethBinary';
import { chainPaths, createGethChain, type GethChain } from './geth/gethChain';
import { httpOk, readHealth, waitHealthy, waitHttpOk } from './health';
import { gatewayCli, gatewayConfigFile, gatewayEndpoints, writeGatewayConfigs, type GatewayEndpoint } from './gateways';
import { networkLayout, type NetworkLayout } from './layout';
import { committedSequence, ensureChaincode, type ChaincodeDeployment, type DeployedChaincode } from './lifecycle';
import { isLocalHost } from './hosts/localHost';
import { allPeers, type ResolvedNetwork, type ResolvedOrderer, type ResolvedOrg, type ResolvedPeer } from './networkConfig';
import { writeNodeConfigs } from './nodeConfig';
import { waitForPorts, type PortTarget } from './portReadiness';
import { waitUntilEndorsable } from './readiness';
import { ensureRegistry } from './registryBootstrap';
import { ensureSessionCertificates } from './sessionCertificates';
import { RPC_ADAPTER_ID, readLinkedChains, rpcAdapterCli, rpcAdapterEndpoint, waitRpcAdapterServing, writeRpcAdapterConfig, type LinkedChainStatus, type RpcAdapterEndpoint } from './rpcAdapterProcess';
import { assertPortsFree, isAlive, killProcess, readProcessRecord, startProcess, stopProcess } from './processes';
import { createProgress, step, type Progress, type StepResult } from './progress';
import { retryTransient } from './transientRetry';
import { hostPort, hostUrl } from './hosts/hostAddress';

export interface NodeStatus {
  id: string;
  kind: 'orderer' | 'peer' | 'gateway' | 'evm-chain' | 'rpc-adapter';
  org: string;
  address: string;
  operations: string;
  running: boolean;
  pid?: number;
  healthy: boolean;
  /** Block height of the channel on this node (an EVM chain: its head block number), when it answers. */
  height?: number;
}

export interface NetworkStatus {
  name: string;
  dataDir: string;
  channel: string;
  chaincode?: DeployedChaincode;
  nodes: NodeStatus[];
  /** The RPC adapter's links (chains synced with an asset's registry), read over its gRPC; absent when it does not run. */
  linkedChains?: LinkedChainStatus[];
}

export interface UpResult {
  status: NetworkStatus;
  gateways: GatewayEndpoint[];
  chaincode: ChaincodeDeployment;
  fabric: { binDir: string; source: FabricInstall['source'] };
  /** Absent when the network has no private chains. */
  geth?: { binary: string; source: GethInstall['source'] };
  privateChains: PrivateChainEndpoint[];
  /** The RPC adapter (gRPC, mTLS), when the network has a private chain. */
  rpcAdapter?: { address: string; org: string };
  steps: readonly StepResult[];
}

/** What `up --org` did for the named orgs, and what it left to a full `up` and why. */
export interface UpOrgsResult {
  orgs: string[];
  /** Nodes started by this run (nodes already running are not listed). */
  started: string[];
  /** Steps not done, each with the reason (`kyc-network up` or the org's next `up --org` does them). */
  skipped: { step: string; reason: string }[];
  gateways: GatewayEndpoint[];
  status: NetworkStatus;
  steps: readonly StepResult[];
}

/** Where an institution's private EVM chain answers. */
export interface PrivateChainEndpoint {
  id: string;
  org: string;
  httpUrl: string;
  wsUrl: string;
  height?: number;
}

/** A kyc-ledger Fabric network on this machine, run as native processes. */
export interface Network {
  readonly config: ResolvedNetwork;
  readonly layout: NetworkLayout;
  /** Builds or reuses Fabric, then starts (or restarts) every node and deploys the chaincode. */
  up(progress?: Progress): Promise<UpResult>;
  /**
   * Starts only the nodes of the named orgs (member orgs and/or the orderer org), as each member
   * does on its own machine: their peers (joined to the channel), gateways, private chains and,
   * with the orderer org, the orderers. Channel-wide steps that need a majority of orgs (chaincode
   * definition, registry seeding, session certificates) are left to a full `up`.
   */
  upOrgs(orgs: readonly string[], progress?: Progress): Promise<UpOrgsResult>;
  /** Stops every node this network started (with `orgs`, only those orgs' nodes); ledgers and crypto stay. */
  down(progress?: Progress, orgs?: readonly string[]): Promise<void>;
  /** Stops everything and deletes the data directory. */
  prune(progress?: Progress): Promise<void>;
  status(): Promise<NetworkStatus>;
  /** The log file of a node ("orderer0", "peer0.bank1", …). */
  logFile(nodeId: string): string;
  /** Starts one stopped node again and waits until it is healthy. */
  startNode(nodeId: string): Promise<void>;
  /** SIGKILLs one node (a crash), for failure drills. */
  killNode(nodeId: string): Promise<boolean>;
  /** The Fabric binaries this network uses (building them if needed). */
  fabric(progress?: Progress): Promise<FabricInstall>;
  /** The geth binary the private chains run (building it if needed). */
  geth(progress?: Progress): Promise<GethInstall>;
  /** The handle of one private chain (start, kill, restart, reorg…), by its name. */
  privateChain(id: string, progress?: Progress): Promise<GethChain>;
}

type NodeRef = { kind: 'orderer'; node: ResolvedOrderer } | { kind: 'peer'; node: ResolvedPeer; org: ResolvedOrg };

class NativeNetwork implements Network {
  readonly layout: NetworkLayout;
  #fabric: FabricInstall | undefined;
  #geth: GethInstall | undefined;
  readonly #local = new Map<string, Promise<boolean>>();

  constructor(readonly config: ResolvedNetwork, private readonly fabricOptions: FabricInstallOptions, private readonly gethOptions: GethInstallOptions) {
    this.layout = networkLayout(config);
  }

  async geth(progress: Progress = createProgress()): Promise<GethInstall> {
    this.#geth ??= await ensureGeth(progress, this.gethOptions);
    return this.#geth;
  }

  async privateChain(id: string, progress: Progress = createProgress()): Promise<GethChain> {
    const chain = this.config.privateChains.find((c) => c.id === id);
    if (!chain) {
      throw new NetworkError('UNKNOWN_NODE', `no private chain "${id}" in network ${this.config.name} (chains: ${this.config.privateChains.map((c) => c.id).join(', ') || 'none'})`);
    }
    return createGethChain(chain, chainPaths(this.layout.nodeDir(id)), await this.geth(progress));
  }

  #isChain(id: string): boolean {
    return this.config.privateChains.some((c) => c.id === id);
  }

  async fabric(progress: Progress = createProgress()): Promise<FabricInstall> {
    this.#fabric ??= await ensureFabric(progress, this.fabricOptions);
    return this.#fabric;
  }

  logFile(nodeId: string): string {
    if (!gatewayEndpoints(this.config, this.layout).some((g) => g.id === nodeId) && !this.#isChain(nodeId) && rpcAdapterEndpoint(this.config, this.layout)?.id !== nodeId) this.#node(nodeId);
    return this.layout.nodeLog(nodeId);
  }

  #nodes(): NodeRef[] {
    return [
      ...this.config.ordererOrg.nodes.map((node): NodeRef => ({ kind: 'orderer', node })),
      ...this.config.orgs.flatMap((org) => org.peers.map((node): NodeRef => ({ kind: 'peer', node, org }))),
    ];
  }

  #node(id: string): NodeRef {
    const found = this.#nodes().find((n) => n.node.id === id);
    if (!found) {
      throw new NetworkError('UNKNOWN_NODE', `no node "${id}" in network ${this.config.name} (nodes: ${this.#nodes().map((n) => n.node.id).join(', ')})`);
    }
    return found;
  }

  /** Whether `host` is an address of this machine (cached per host for the handle's life). */
  #isLocal(host: string): Promise<boolean> {
    let known = this.#local.get(host);
    if (!known) this.#local.set(host, (known = isLocalHost(host)));
    return known;
  }

  async #localOnly<T>(items: readonly T[], host: (item: T) => string): Promise<T[]> {
    const local = await Promise.all(items.map((item) => this.#isLocal(host(item))));
    return items.filter((_, i) => local[i]);
  }

  #running(id: string): boolean {
    return isAlive(readProcessRecord(this.layout.nodePidFile(id)));
  }

  #env(fabric: FabricInstall, id: string): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      FABRIC_CFG_PATH: this.layout.nodeConfigDir(id),
      FABRIC_LOGGING_SPEC: this.config.logLevel,
      KYC_NODE_BIN: process.execPath,
      // Set only by benchmarks that profile the chaincode; the builder passes it on (builder/cpuProfile.ts).
      ...(process.env.KYC_CHAINCODE_CPU_PROFILE ? { KYC_CHAINCODE_CPU_PROFILE: process.env.KYC_CHAINCODE_CPU_PROFILE } : {}),
    };
  }

  async #start(fabric: FabricInstall, ref: NodeRef): Promise<void> {
    const id = ref.node.id;
    if (this.#running(id)) return;
    const binary = binaryPath(fabric, ref.kind === 'orderer' ? 'orderer' : 'peer');
    await startProcess({
      binary,
      args: ref.kind === 'orderer' ? [] : ['node', 'start'],
      env: this.#env(fabric, id),
      cwd: this.layout.nodeDir(id),
      logFile: this.layout.nodeLog(id),
      pidFile: this.layout.nodePidFile(id),
    });
    await waitHealthy(id, ref.node.host, ref.node.operationsPort, () => this.#running(id));
    // /healthz answers before the node serves: wait for every port later steps talk to.
    await waitForPorts(this.#servicePorts(ref), { stillRunning: () => this.#running(id) });
  }

  /**
   * The ports of a node that `up` and its clients use, each probed with a TLS handshake: the
   * orderer's gRPC (peers' deliver, lifecycle transactions) and channel-participation admin port
   * (osnadmin, mutual TLS with the orderer admin's certificate), the peer's gRPC (peer CLI,
   * gateways) and its chaincode port (chaincode processes call back into the peer there).
   * Gateways are waited for through their /readyz, which needs their port open.
   */
  #servicePorts(ref: NodeRef): PortTarget[] {
    const { id, host } = ref.node;
    if (ref.kind === 'orderer') {
      const ca = readFileSync(this.layout.ordererTlsCa);
      const admin = this.layout.ordererAdmin;
      return [
        { node: id, purpose: 'gRPC', host, port: ref.node.port, tls: { ca } },
        { node: id, purpose: 'admin', host, port: ref.node.adminPort, tls: { ca, cert: readFileSync(admin.tlsCert), key: readFileSync(admin.tlsKey) } },
      ];
    }
    const ca = readFileSync(this.layout.peer(ref.org, ref.node).tlsCa);
    return [
      { node: id, purpose: 'gRPC', host, port: ref.node.port, tls: { ca } },
      // The peer signs its chaincode listener's certificate with a CA it makes at start-up.
      { node: id, purpose: 'chaincode', host, port: ref.node.chaincodePort, tls: {} },
    ];
  }

  /** Waits until every given node serves the ports `up` uses next (also nodes an earlier `up` left running). */
  async #waitServing(refs: readonly NodeRef[]): Promise<void> {
    await Promise.all(refs.map(async (ref) => {
      // A node on another machine has no PID here to watch: only the wait's timeout ends it.
      const local = await this.#isLocal(ref.node.host);
      await waitForPorts(this.#servicePorts(ref), { ...(local && { stillRunning: () => this.#running(ref.node.id) }) });
    }));
  }

  #ports(refs: NodeRef[]): { host: string; port: number; owner: string }[] {
    return refs.flatMap((ref) => {
      const host = ref.node.host;
      return ref.kind === 'orderer'
        ? [{ host, port: ref.node.port, owner: ref.node.id }, { host, port: ref.node.adminPort, owner: `${ref.node.id} admin` }, { host, port: ref.node.operationsPort, owner: `${ref.node.id} operations` }]
        : [{ host, port: ref.node.port, owner: ref.node.id }, { host, port: ref.node.chaincodePort, owner: `${ref.node.id} chaincode` }, { host, port: ref.node.operationsPort, owner: `${ref.node.id} operations` }];
    });
  }

  async #ordererChannels(fabric: FabricInstall, node: ResolvedOrderer): Promise<string[]> {
    const { stdout } = await osnadmin(fabric, this.layout, hostPort(node.host, node.adminPort), ['channel', 'list']);
    return (parseOsnadminJson<{ channels?: { name: string }[] | null }>(stdout).channels ?? []).map((c) => c.name);
  }

  async #peerJoined(fabric: FabricInstall, org: ResolvedOrg, peer: ResolvedPeer): Promise<boolean> {
    const { stdout } = await peerCli(fabric, this.layout, org, peer, ['channel', 'list']);
    return stdout.split('\n').map((l) => l.trim()).includes(this.config.channel.name);
  }

  /**
   * Joins the given orderers and member peers to the channel from its genesis block, skipping those
   * already joined. Nodes left running by an earlier `up` were not started (or waited for) by
   * this run, so every one is waited for first.
   */
  async #join(fabric: FabricInstall, refs: readonly NodeRef[], progress: Progress): Promise<void> {
    const net = this.config;
    await this.#waitServing(refs);
    for (const ref of refs) {
      if (ref.kind !== 'orderer') continue;
      const node = ref.node;
      // A join is retried only after checking it did not happen: a join whose answer was lost
      // must not be repeated (the orderer would refuse an existing channel).
      await retryTransient(async () => {
        if ((await this.#ordererChannels(fabric, node)).includes(net.channel.name)) return;
        await osnadmin(fabric, this.layout, hostPort(node.host, node.adminPort), ['channel', 'join', '--channelID', net.channel.name, '--config-block', this.layout.genesisBlock]);
        progress.info(`${node.id} joined`);
      });
    }
    for (const ref of refs) {
      if (ref.kind !== 'peer' || !net.channel.members.includes(ref.org.name)) continue;
      const { org, node: peer } = ref;
      await retryTransient(async () => {
        if (await this.#peerJoined(fabric, org, peer)) return;
        await peerCli(fabric, this.layout, org, peer, ['channel', 'join', '-b', this.layout.genesisBlock]);
        progress.info(`${peer.id} joined`);
      });
    }
  }

  async up(progress: Progress = createProgress()): Promise<UpResult> {
    const net = this.config;
    const fabric = await step(progress, 'Fabric binaries', () => this.fabric(progress), (f) => `${f.source}: ${f.binDir}`);
    const chains = net.privateChains;
    const geth = chains.length > 0 ? await step(progress, 'geth binary', () => this.geth(progress), (g) => `${g.source}: ${g.binary}`) : undefined;
    const refs = this.#nodes();
    // Nodes whose host is another machine are started there by their org (`up --org`); here they are only waited for.
    const localRefs = await this.#localOnly(refs, (r) => r.node.host);
    const localChains = await this.#localOnly(chains, (c) => c.host);
    const adapterHere = rpcAdapterEndpoint(net, this.layout);
    const localAdapter = adapterHere && (await this.#isLocal(adapterHere.host)) ? adapterHere : undefined;
    for (const ref of refs.filter((r) => !localRefs.includes(r))) progress.info(`${ref.node.id} is on ${ref.node.host}, not this machine: waiting for it (its org starts it with \`kyc-network up --org ${ref.kind === 'orderer' ? net.ordererOrg.name : ref.org.name}\`)`);
    await assertPortsFree([
      ...this.#ports(localRefs.filter((r) => !this.#running(r.node.id))),
      ...localChains.filter((c) => !this.#running(c.id)).flatMap((c) => [{ host: c.host, port: c.httpPort, owner: `${c.id} http` }, { host: c.host, port: c.wsPort, owner: `${c.id} ws` }]),
      ...[localAdapter].filter((a) => a !== undefined && !this.#running(a.id)).map((a) => ({ host: a!.host, port: a!.port, owner: a!.id })),
    ]);
    await step(progress, 'crypto material', () => ensureCryptoMaterial(net, this.layout, fabric));
    await step(progress, 'node configuration', () => writeNodeConfigs(net, this.layout, fabric));
    if (!existsSync(this.layout.genesisBlock)) {
      await step(progress, `channel ${net.channel.name} genesis block`, () => createGenesisBlock(net, this.layout, fabric));
    }
    const orderers = localRefs.filter((r) => r.kind === 'orderer');
    const peers = localRefs.filter((r) => r.kind === 'peer');
    await step(progress, `start ${orderers.length} orderers`, () => Promise.all(orderers.map((r) => this.#start(fabric, r))));
    await step(progress, `start ${peers.length} peers`, () => Promise.all(peers.map((r) => this.#start(fabric, r))));
    // A node on another host is joined by its own org's `up --org` there, with that org's own key.
    await step(progress, `join channel ${net.channel.name}`, () => this.#join(fabric, localRefs, progress));
    const chaincode = await step(progress, `chaincode ${net.chaincode.name}`, () => ensureChaincode(net, this.layout, fabric, progress), (c) => `${c.action}, sequence ${c.sequence}`);
    await step(progress, 'ready for transactions', () => waitUntilEndorsable(net, this.layout));
    await step(progress, 'member registry', () => ensureRegistry(net, this.layout), (r) => r);
    await step(progress, 'bank session certificates', () => ensureSessionCertificates(net, this.layout), (p) => (p.length > 0 ? `published ${p.join(', ')}` : 'present'));
    const gateways = await step(progress, 'REST gateways', () => this.#startGateways(progress), (g) => g.map((x) => `${x.org} ${x.url}`).join(', '));
    const privateChains = localChains.length === 0 ? [] : await step(progress, `start ${localChains.length} private chain${localChains.length === 1 ? '' : 's'}`, () => this.#startChains(progress, localChains.map((c) => c.id)), (c) => c.map((x) => `${x.id} ${x.httpUrl} at block ${x.height ?? '?'}`).join(', '));
    // Read again: its client certificate's file name is known only once the crypto material exists.
    const adapter = localAdapter && rpcAdapterEndpoint(net, this.layout);
    if (adapter) await step(progress, 'RPC adapter', () => this.#startRpcAdapter(adapter), (a) => `${a.org} ${a.address}`);
    return {
      status: await this.status(), gateways, chaincode, fabric: { binDir: fabric.binDir, source: fabric.source },
      ...(geth && { geth: { binary: geth.binary, source: geth.source } }),
      privateChains,
      ...(adapter && { rpcAdapter: { address: adapter.address, org: adapter.org } }),
      steps: progress.steps,
    };
  }

  async upOrgs(orgs: readonly string[], progress: Progress = createProgress()): Promise<UpOrgsResult> {
    const net = this.config;
    this.#checkOrgs(orgs);
    const selected = (org: string) => orgs.includes(org);
    const refs = this.#nodes().filter((r) => selected(r.kind === 'orderer' ? net.ordererOrg.name : r.org.name));
    const local = await this.#localOnly(refs, (r) => r.node.host);
    const elsewhere = refs.filter((r) => !local.includes(r));
    if (elsewhere.length > 0) {
      throw new NetworkError('NODE_NOT_LOCAL', `not addresses of this machine: ${elsewhere.map((r) => `${r.node.id} (${r.node.host})`).join(', ')}; run \`kyc-network up --org\` on the machine network.yaml names for them`, {
        details: { nodes: elsewhere.map((r) => ({ id: r.node.id, host: r.node.host })) },
      });
    }
    const chains = await this.#localOnly(net.privateChains.filter((c) => selected(c.org)), (c) => c.host);
    const skipped: UpOrgsResult['skipped'] = [];
    const skip = (stepName: string, reason: string) => {
      skipped.push({ step: stepName, reason });
      progress.info(`skipped ${stepName}: ${reason}`);
    };
    const fabric = await step(progress, 'Fabric binaries', () => this.fabric(progress), (f) => `${f.source}: ${f.binDir}`);
    if (chains.length > 0) await step(progress, 'geth binary', () => this.geth(progress), (g) => `${g.source}: ${g.binary}`);
    await assertPortsFree([
      ...this.#ports(refs.filter((r) => !this.#running(r.node.id))),
      ...chains.filter((c) => !this.#running(c.id)).flatMap((c) => [{ host: c.host, port: c.httpPort, owner: `${c.id} http` }, { host: c.host, port: c.wsPort, owner: `${c.id} ws` }]),
    ]);
    // An org's own material is used as found; only a data dir that lacks it gets the
    // single-machine convenience of cryptogen making every org's (as `up` does).
    const cryptoPresent = refs.every((r) => existsSync(r.kind === 'orderer' ? this.layout.orderer(r.node).tlsCert : this.layout.peer(r.org, r.node).tlsCert));
    if (!cryptoPresent) await step(progress, 'crypto material', () => ensureCryptoMaterial(net, this.layout, fabric));
    await step(progress, 'node configuration', () => writeNodeConfigs(net, this.layout, fabric, (id) => refs.some((r) => r.node.id === id)));
    const ordererSelected = selected(net.ordererOrg.name);
    if (!existsSync(this.layout.genesisBlock)) {
      if (ordererSelected) await step(progress, `channel ${net.channel.name} genesis block`, () => createGenesisBlock(net, this.layout, fabric));
    }
    const started = refs.filter((r) => !this.#running(r.node.id)).map((r) => r.node.id);
    const orderers = refs.filter((r) => r.kind === 'orderer');
    const peers = refs.filter((r) => r.kind === 'peer' && net.channel.members.includes(r.org.name));
    if (orderers.length > 0) await step(progress, `start ${orderers.length} orderers`, () => Promise.all(orderers.map((r) => this.#start(fabric, r))));
    if (peers.length > 0) await step(progress, `start ${peers.length} peers`, () => Promise.all(peers.map((r) => this.#start(fabric, r))));
    if (!existsSync(this.layout.genesisBlock)) {
      skip(`join channel ${net.channel.name}`, `no genesis block in ${this.layout.artifactsDir}: \`kyc-network up\` (or \`up --org ${net.ordererOrg.name}\`) creates it`);
    } else {
      await step(progress, `join channel ${net.channel.name}`, () => this.#join(fabric, [...orderers, ...peers], progress));
    }
    skip(`chaincode ${net.chaincode.name}, member registry and session certificates`, 'channel-wide steps that need a majority of member orgs: `kyc-network up` does them');
    const gatewayOrgs = net.orgs.filter((o) => selected(o.name) && net.channel.members.includes(o.name)).map((o) => o.name);
    // An institution chain needs nothing of the channel.
    if (chains.length > 0) await step(progress, `start ${chains.length} private chains`, () => this.#startChains(progress, chains.map((c) => c.id)));
    let gateways: GatewayEndpoint[] = [];
    const adapter = rpcAdapterEndpoint(net, this.layout);
    const adapterHere = adapter && selected(adapter.org) ? adapter : undefined;
    if (gatewayOrgs.length > 0 || adapterHere) {
      const readyOrg = net.orgs.find((o) => o.name === (gatewayOrgs[0] ?? adapterHere?.org));
      // A gateway is ready only when its peer serves the chaincode; before the definition is
      // committed it would wait in vain.
      const committed = readyOrg !== undefined && (await committedSequence(net, this.layout, fabric, readyOrg).catch(() => 0)) > 0;
      if (!committed) {
        skip('REST gateways and RPC adapter', `chaincode ${net.chaincode.name} is not committed on channel ${net.channel.name} as ${readyOrg?.name ?? 'this org'}'s peer sees it: run \`up --org ${orgs.join(',')}\` again once it is`);
      } else {
        if (gatewayOrgs.length > 0) gateways = await step(progress, 'REST gateways', () => this.#startGateways(progress, gatewayOrgs), (g) => g.map((x) => `${x.org} ${x.url}`).join(', '));
        if (adapterHere && (await this.#isLocal(adapterHere.host))) await step(progress, 'RPC adapter', () => this.#startRpcAdapter(adapterHere), (a) => `${a.org} ${a.address}`);
      }
    }
    return { orgs: [...orgs], started, skipped, gateways, status: await this.status(), steps: progress.steps };
  }

  /**
   * The org's RPC adapter as a recorded process: it follows the channel as that org and syncs
   * its links; ready when its gRPC health service answers SERVING over mutual TLS.
   */
  async #startRpcAdapter(adapter: RpcAdapterEndpoint): Promise<RpcAdapterEndpoint> {
    await writeRpcAdapterConfig(this.config, this.layout, adapter);
    if (!this.#running(adapter.id)) {
      await startProcess({
        binary: process.execPath,
        args: [rpcAdapterCli(), 'start', '--config', adapter.configFile],
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        cwd: this.layout.nodeDir(adapter.id),
        logFile: this.layout.nodeLog(adapter.id),
        pidFile: this.layout.nodePidFile(adapter.id),
      });
    }
    await waitRpcAdapterServing(adapter, () => this.#running(adapter.id), this.layout.nodeLog(adapter.id));
    return adapter;
  }

  /** Each private chain on its own data dir under nodes/<id>/ (resumed, not recreated, by a later `up`). */
  async #startChains(progress: Progress, ids: readonly string[]): Promise<PrivateChainEndpoint[]> {
    return Promise.all(this.config.privateChains.filter((c) => ids.includes(c.id)).map(async (c) => {
      const chain = await this.privateChain(c.id, progress);
      await chain.start();
      const height = await chain.height();
      return { id: c.id, org: c.org, httpUrl: c.httpUrl, wsUrl: c.wsUrl, ...(height !== undefined && { height: Number(height) }) };
    }));
  }

  async down(progress: Progress = createProgress(), orgs?: readonly string[]): Promise<void> {
    if (orgs) this.#checkOrgs(orgs);
    const mine = (org: string) => orgs === undefined || orgs.includes(org);
    // Gateways, then peers, then orderers, so nothing spends the shutdown reconnecting.
    const stop = async (id: string) => {
      if (existsSync(this.layout.nodePidFile(id)) && (await stopProcess(this.layout.nodePidFile(id))) === 'stopped') progress.info(`${id} stopped`);
    };
    await step(progress, orgs ? `stop ${orgs.join(', ')} of ${this.config.name}` : `stop ${this.config.name}`, async () => {
      // The adapter first: its drivers talk to the chains and its follower to the peer.
      const adapter = rpcAdapterEndpoint(this.config, this.layout);
      if (adapter && mine(adapter.org)) await stop(RPC_ADAPTER_ID);
      await Promise.all([
        ...gatewayEndpoints(this.config, this.layout).filter((g) => mine(g.org)).map((g) => g.id),
        ...this.config.privateChains.filter((c) => mine(c.org)).map((c) => c.id),
      ].map(stop));
      await Promise.all(this.#nodes().filter((r) => r.kind === 'peer' && mine(r.org.name)).map((r) => stop(r.node.id)));
      if (mine(this.config.ordererOrg.name)) await Promise.all(this.#nodes().filter((r) => r.kind === 'orderer').map((r) => stop(r.node.id)));
    });
  }

  /** Fails with UNKNOWN_ORG naming every name that is neither a member org nor the orderer org. */
  #checkOrgs(orgs: readonly string[]): void {
    const known = [this.config.ordererOrg.name, ...this.config.orgs.map((o) => o.name)];
    const unknown = orgs.filter((o) => !known.includes(o));
    if (unknown.length > 0 || orgs.length === 0) {
      throw new NetworkError('UNKNOWN_ORG', `${unknown.length > 0 ? `no org ${unknown.map((o) => `"${o}"`).join(', ')}` : 'no org named'} in network ${this.config.name} (orgs: ${known.join(', ')})`, { details: { unknown, known } });
    }
  }

  /**
   * One REST gateway per member org (with `orgs`, those orgs' only), as a recorded process like the
   * Fabric nodes; a gateway whose host is another machine is left to its org's `up --org`.
   */
  async #startGateways(progress: Progress, orgs?: readonly string[]): Promise<GatewayEndpoint[]> {
    const all = (await writeGatewayConfigs(this.config, this.layout)).filter((g) => orgs === undefined || orgs.includes(g.org));
    const endpoints = await this.#localOnly(all, (g) => g.host);
    for (const g of all.filter((x) => !endpoints.includes(x))) progress.info(`${g.id} is on ${g.host}, not this machine: its org starts it with \`kyc-network up --org ${g.org}\``);
    await assertPortsFree(endpoints.filter((g) => !this.#running(g.id)).map((g) => ({ host: g.host, port: g.port, owner: g.id })));
    await Promise.all(endpoints.map(async (g) => {
      if (this.#running(g.id)) return;
      await mkdir(this.layout.nodeDir(g.id), { recursive: true });
      await startProcess({
        binary: process.execPath,
        args: [gatewayCli(), 'start', '--config', gatewayConfigFile(this.layout, g.org)],
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        cwd: this.layout.nodeDir(g.id),
        logFile: this.layout.nodeLog(g.id),
        pidFile: this.layout.nodePidFile(g.id),
      });
      await waitHttpOk(g.id, `${g.url}/readyz`, () => this.#running(g.id));
    }));
    return all;
  }

  async prune(progress: Progress = createProgress()): Promise<void> {
    await this.down(progress);
    await step(progress, `delete ${this.layout.root}`, () => rm(this.layout.root, { recursive: true, force: true }));
  }

  async startNode(nodeId: string): Promise<void> {
    if (this.#isChain(nodeId)) return (await this.privateChain(nodeId)).start();
    await this.#start(await this.fabric(), this.#node(nodeId));
  }

  async killNode(nodeId: string): Promise<boolean> {
    if (this.#isChain(nodeId)) return (await this.privateChain(nodeId)).kill();
    this.#node(nodeId);
    return killProcess(this.layout.nodePidFile(nodeId));
  }

  async #height(fabric: FabricInstall, ref: NodeRef): Promise<number | undefined> {
    try {
      if (ref.kind === 'orderer') {
        const { stdout } = await osnadmin(fabric, this.layout, hostPort(ref.node.host, ref.node.adminPort), ['channel', 'list', '--channelID', this.config.channel.name]);
        return parseOsnadminJson<OrdererChannelInfo>(stdout).height;
      }
      const { stdout } = await peerCli(fabric, this.layout, ref.org, ref.node, ['channel', 'getinfo', '-c', this.config.channel.name]);
      return parseChannelInfo(stdout).height;
    } catch {
      return undefined;
    }
  }

  async status(): Promise<NetworkStatus> {
    const chaincodeFile = path.join(this.layout.root, 'chaincode.json');
    const anyRunning = this.#nodes().some((r) => this.#running(r.node.id));
    const fabric = anyRunning ? await this.fabric() : undefined;
    const nodes = await Promise.all(this.#nodes().map(async (ref): Promise<NodeStatus> => {
      const record = readProcessRecord(this.layout.nodePidFile(ref.node.id));
      const running = isAlive(record);
      const health = running ? await readHealth(ref.node.host, ref.node.operationsPort) : undefined;
      const height = running && fabric ? await this.#height(fabric, ref) : undefined;
      return {
        id: ref.node.id,
        kind: ref.kind,
        org: ref.kind === 'orderer' ? this.config.ordererOrg.name : ref.org.name,
        address: hostPort(ref.node.host, ref.node.port),
        operations: hostUrl('http', ref.node.host, ref.node.operationsPort),
        running,
        ...(running && { pid: record.pid }),
        healthy: health?.status === 'OK',
        ...(height !== undefined && { height }),
      };
    }));
    const gateways = await Promise.all(gatewayEndpoints(this.config, this.layout).map(async (g): Promise<NodeStatus> => {
      const record = readProcessRecord(this.layout.nodePidFile(g.id));
      const running = isAlive(record);
      return {
        id: g.id, kind: 'gateway', org: g.org, address: g.url, operations: `${g.url}/metrics`, running,
        ...(running && { pid: record.pid }),
        healthy: running && (await httpOk(`${g.url}/readyz`)),
      };
    }));
    const chains = await Promise.all(this.config.privateChains.map(async (c): Promise<NodeStatus> => {
      const record = readProcessRecord(this.layout.nodePidFile(c.id));
      const running = isAlive(record);
      const height = running ? await blockHeight(c.httpUrl) : undefined;
      return {
        id: c.id, kind: 'evm-chain', org: c.org, address: c.httpUrl, operations: c.wsUrl, running,
        ...(running && { pid: record.pid }),
        healthy: height !== undefined,
        ...(height !== undefined && { height: Number(height) }),
      };
    }));
    const adapter = rpcAdapterEndpoint(this.config, this.layout);
    let adapterNode: NodeStatus | undefined;
    let linkedChains: LinkedChainStatus[] | undefined;
    if (adapter) {
      const record = readProcessRecord(this.layout.nodePidFile(adapter.id));
      const running = isAlive(record);
      linkedChains = running ? await readLinkedChains(adapter) : undefined;
      adapterNode = {
        id: adapter.id, kind: 'rpc-adapter', org: adapter.org, address: adapter.address, operations: 'grpc.health.v1', running,
        ...(running && { pid: record.pid }),
        healthy: linkedChains !== undefined,
      };
    }
    return {
      name: this.config.name,
      dataDir: this.layout.root,
      channel: this.config.channel.name,
      ...(existsSync(chaincodeFile) && { chaincode: JSON.parse(readFileSync(chaincodeFile, 'utf8')) as DeployedChaincode }),
      nodes: [...nodes, ...gateways, ...chains, ...(adapterNode ? [adapterNode] : [])],
      ...(linkedChains && { linkedChains }),
    };
  }
}

/** Creates the handle for a resolved network; nothing starts until `up`. */
export function createNetwork(config: ResolvedNetwork, options: { fabric?: FabricInstallOptions; geth?: GethInstallOptions } = {}): Network {
  return new NativeNetwork(config, options.fabric ?? {}, options.geth ?? {});
}

export { allPeers };
