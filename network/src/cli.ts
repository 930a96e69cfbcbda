#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isAddress } from 'viem';
import { NetworkError } from './errors';
import { cliExitCode } from './cliExitCode';
import { registerConnectionProfileCommand } from './clientProfiles';
import { peerCliEnv } from './fabricCli';
import { FABRIC } from './fabricVersion';
import { DEV_ACCOUNT, DEV_CHAIN_ID, fundFromDevAccount } from './geth/chainClient';
import { GETH } from './geth/gethVersion';
import { governanceCommand } from './governance/governanceCommand';
import { createNetwork, type NetworkStatus } from './network';
import { loadNetwork, networkJsonSchema, type NetworkOverrides } from './networkConfig';
import { registerMembershipCommands } from './membership/membershipCommands';
import { createProgress } from './progress';
import { printPages } from './printPages';
import { registerChaincodeCommands } from './upgrade/chaincodeCommands';

interface GlobalOptions {
  file?: string;
  name?: string;
  dataDir?: string;
  portBase?: number;
  consensus?: 'raft' | 'bft';
  json?: boolean;
}

const REPO_NETWORK_FILE = path.resolve(__dirname, '..', '..', 'network.yaml');

function networkFile(options: GlobalOptions): string {
  if (options.file) return options.file;
  if (process.env.KYC_NETWORK_FILE) return process.env.KYC_NETWORK_FILE;
  return existsSync('network.yaml') ? 'network.yaml' : REPO_NETWORK_FILE;
}

function load(options: GlobalOptions) {
  const overrides: NetworkOverrides = {
    ...(options.name !== undefined && { name: options.name }),
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    ...(options.portBase !== undefined && { portBase: options.portBase }),
    ...(options.consensus !== undefined && { consensus: options.consensus }),
  };
  return loadNetwork(networkFile(options), overrides);
}

/** `--org a --org b` and `--org a,b` both collect org names. */
function collectOrgs(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v.length > 0)];
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > 65535) throw new InvalidArgumentError('must be a port number from 1024 to 65535');
  return n;
}

/** Progress goes to stderr so that --json keeps stdout machine-readable. */
function progressFor(options: GlobalOptions) {
  return createProgress((line) => process.stderr.write(`${line}\n`));
}

function printStatus(status: NetworkStatus): void {
  const rows = status.nodes.map((n) => [
    n.id, n.kind, n.address, n.operations, n.running ? `pid ${n.pid}` : 'stopped', n.healthy ? 'healthy' : '-', n.height === undefined ? '-' : String(n.height),
  ]);
  const header = ['node', 'kind', 'address', 'operations', 'process', 'health', 'height'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`network ${status.name} — channel ${status.channel} — data ${status.dataDir}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  if (status.chaincode) console.log(`chaincode ${status.chaincode.name}: sequence ${status.chaincode.sequence}, package ${status.chaincode.packageId}, policy ${status.chaincode.endorsementPolicy}`);
  if (status.linkedChains) {
    console.log(`linked chains (${status.linkedChains.length}):`);
    for (const l of status.linkedChains) {
      console.log(`  ${l.linkId}  asset ${l.asset}  chain ${l.chainId} ${l.rpcUrl}  contract ${l.contract}  sync account ${l.syncAccount}`);
      console.log(`    applied seq ${l.appliedSeq} / ledger head ${l.ledgerHead}, lag ${l.lag}${l.lastError ? `, last error: ${l.lastError}` : ''}`);
    }
  }
}

/** A bad argument found inside an action: one line and exit code 2, like commander's own. */
function usageError(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

function output(options: GlobalOptions, json: unknown, human: () => void): void {
  if (options.json) console.log(JSON.stringify(json, null, 2));
  else human();
}

const program = new Command()
  .name('kyc-network')
  .description(`Runs a kyc-ledger Hyperledger Fabric ${FABRIC.release} network natively (no Docker)`)
  .option('-f, --file <path>', 'network file (default: ./network.yaml, else the repository\'s)')
  .option('--name <name>', 'override the network name')
  .option('--data-dir <dir>', 'override the data directory')
  .option('--port-base <port>', 'override ports.base (every default port derives from it)', parsePort)
  .addOption(new Option('--consensus <type>', 'override ordererOrg.consensus').choices(['raft', 'bft']))
  .option('--json', 'print the result as JSON on stdout')
  .showHelpAfterError();

program.command('up')
  .description('build or reuse Fabric, start every node, create/join the channel, deploy the chaincode')
  .option('--org <names>', 'start only these orgs\' nodes (repeatable or comma list; the orderer org\'s name starts its orderers); skips the channel-wide steps', collectOrgs)
  .action(async (command: { org?: string[] }) => {
    const options = program.opts<GlobalOptions>();
    const network = createNetwork(load(options));
    const started = Date.now();
    if (command.org) {
      const result = await network.upOrgs(command.org, progressFor(options));
      output(options, { ...result, seconds: (Date.now() - started) / 1000 }, () => {
        printStatus(result.status);
        for (const g of result.gateways) console.log(`gateway ${g.org} ${g.url}  key ${g.apiKey}`);
        for (const s of result.skipped) console.log(`skipped ${s.step}: ${s.reason}`);
        console.log(`${result.orgs.join(', ')} up in ${((Date.now() - started) / 1000).toFixed(1)} s (started: ${result.started.join(', ') || 'none, all were running'})`);
      });
      return;
    }
    const result = await network.up(progressFor(options));
    output(options, { ...result, seconds: (Date.now() - started) / 1000 }, () => {
      printStatus(result.status);
      console.log('\nREST gateways (API key header x-api-key; OpenAPI at <url>/openapi.json):');
      for (const g of result.gateways) console.log(`  ${g.org.padEnd(12)} ${g.role.padEnd(10)} ${g.url}  key ${g.apiKey}  admin key ${g.adminApiKey}`);
      printPages(result.gateways);
      if (result.privateChains.length > 0) {
        console.log(`\nPrivate EVM chains (geth --dev, chain id ${DEV_CHAIN_ID}; prefunded unlocked dev account ${DEV_ACCOUNT}):`);
        for (const c of result.privateChains) console.log(`  ${c.id.padEnd(12)} ${c.org.padEnd(10)} ${c.httpUrl}  ${c.wsUrl}  block ${c.height ?? '?'}`);
      }
      if (result.rpcAdapter) console.log(`\nRPC adapter (gRPC, mutual TLS with a member org's client certificate): ${result.rpcAdapter.address}, run by ${result.rpcAdapter.org}`);
      const org = network.config.orgs[0];
      console.log(`\nready in ${((Date.now() - started) / 1000).toFixed(1)} s. Fabric's own CLI as an org admin: eval "$(npm run -s network -- env ${org?.name ?? '<org>'})"; peer chaincode query -C ${network.config.channel.name} -n ${network.config.chaincode.name} -c '{"function":"probe:ping","Args":[]}'`);
      console.log('stop with: npm stop   (data is kept; npm start resumes)');
    });
  });

program.command('down')
  .description('stop every node this network started (by recorded PID); data is kept')
  .option('--org <names>', 'stop only these orgs\' nodes (repeatable or comma list)', collectOrgs)
  .action(async (command: { org?: string[] }) => {
    const options = program.opts<GlobalOptions>();
    const network = createNetwork(load(options));
    await network.down(progressFor(options), command.org);
    output(options, { stopped: true, name: network.config.name, ...(command.org && { orgs: command.org }) }, () =>
      console.log(command.org ? `${command.org.join(', ')} of network ${network.config.name} stopped` : `network ${network.config.name} stopped`));
  });

program.command('prune')
  .description('stop every node and delete the data directory')
  .action(async () => {
    const options = program.opts<GlobalOptions>();
    const network = createNetwork(load(options));
    await network.prune(progressFor(options));
    output(options, { pruned: true, dataDir: network.layout.root }, () => console.log(`network ${network.config.name} removed (${network.layout.root})`));
  });

program.command('status')
  .description('what runs, where, and each node\'s block height')
  .action(async () => {
    const options = program.opts<GlobalOptions>();
    const status = await createNetwork(load(options)).status();
    output(options, status, () => printStatus(status));
  });

program.command('logs <node>')
  .description('print a node\'s log (e.g. orderer0, peer0.bank1, issuer1-evm)')
  .option('-n, --lines <n>', 'how many lines from the end', '100')
  .option('--follow', 'keep printing as the log grows')
  .action(async (node: string, opts: { lines: string; follow?: boolean }) => {
    const file = createNetwork(load(program.opts<GlobalOptions>())).logFile(node);
    if (!existsSync(file)) throw new NetworkError('NOT_RUNNING', `${node} has no log yet (${file})`);
    const child = spawn('tail', ['-n', opts.lines, ...(opts.follow ? ['-F'] : []), file], { stdio: 'inherit' });
    await new Promise((resolve) => child.on('exit', resolve));
  });

program.command('env <org>')
  .description('shell exports that point Fabric\'s own peer CLI at <org>\'s first peer as its admin')
  .action((orgName: string) => {
    const options = program.opts<GlobalOptions>();
    const network = createNetwork(load(options));
    const org = network.config.orgs.find((o) => o.name === orgName);
    const peer = org?.peers[0];
    if (!org || !peer) throw new NetworkError('UNKNOWN_NODE', `no org "${orgName}" (orgs: ${network.config.orgs.map((o) => o.name).join(', ')})`);
    return network.fabric().then((fabric) => {
      const env = peerCliEnv(network.layout, org, peer, fabric);
      output(options, env, () => {
        for (const [key, value] of Object.entries(env)) if (key !== 'HOME') console.log(`export ${key}='${value}'`);
        console.log(`export ORDERER_CA='${network.layout.ordererTlsCa}'`);
      });
    });
  });

registerConnectionProfileCommand(program, {
  load: () => load(program.opts<GlobalOptions>()),
  json: () => program.opts<GlobalOptions>().json === true,
});

program.command('kill <node>')
  .description('SIGKILL one node (a crash drill); `up` starts it again')
  .action(async (node: string) => {
    const options = program.opts<GlobalOptions>();
    const killed = await createNetwork(load(options)).killNode(node);
    output(options, { node, killed }, () => console.log(killed ? `${node} killed` : `${node} was not running`));
  });

program.command('validate')
  .description('validate the network file and print the resolved network')
  .action(() => {
    const options = program.opts<GlobalOptions>();
    const net = load(options);
    output(options, net, () => console.log(`${net.source} is valid: ${net.orgs.length} orgs, ${net.ordererOrg.nodes.length} ${net.ordererOrg.consensus} orderers, channel ${net.channel.name}`));
  });

program.command('fabric')
  .description(`build (or find in the cache) the Fabric ${FABRIC.release} binaries and print where they are`)
  .action(async () => {
    const options = program.opts<GlobalOptions>();
    const fabric = await createNetwork(load(options)).fabric(progressFor(options));
    output(options, { ...fabric, version: FABRIC }, () => console.log(fabric.binDir));
  });

program.command('geth')
  .description(`build (or find in the cache) geth ${GETH.version} for the private chains and print where it is`)
  .action(async () => {
    const options = program.opts<GlobalOptions>();
    const geth = await createNetwork(load(options)).geth(progressFor(options));
    output(options, { ...geth, version: GETH.version }, () => console.log(geth.binary));
  });

program.command('fund <chain> <address> [ether]')
  .description('send ether (default 100) from a private chain\'s prefunded dev account to <address>')
  .action(async (chainId: string, address: string, ether: string | undefined) => {
    const options = program.opts<GlobalOptions>();
    if (!isAddress(address)) usageError(`"${address}" is not an EVM address`);
    if (ether !== undefined && !/^\d+(\.\d+)?$/.test(ether)) usageError(`"${ether}" is not an amount of ether`);
    const chain = await createNetwork(load(options)).privateChain(chainId);
    const result = await fundFromDevAccount(chain.chain.httpUrl, address, ether);
    output(options, { chain: chainId, address, ether: ether ?? '100', hash: result.hash, blockNumber: Number(result.blockNumber) }, () =>
      console.log(`${ether ?? '100'} ETH to ${address} on ${chainId}: ${result.hash} in block ${result.blockNumber}`));
  });

program.command('reorg <chain> <depth>')
  .description('rewind a private chain by <depth> blocks (geth debug_setHead), a reorg drill; it then seals other blocks')
  .action(async (chainId: string, depth: string) => {
    const options = program.opts<GlobalOptions>();
    const blocks = Number(depth);
    if (!Number.isInteger(blocks) || blocks < 1) usageError('depth must be a positive whole number of blocks');
    const chain = await createNetwork(load(options)).privateChain(chainId);
    const { from, to } = await chain.reorg(blocks);
    output(options, { chain: chainId, from: Number(from), to: Number(to) }, () => console.log(`${chainId} rewound from block ${from} to ${to}`));
  });

registerChaincodeCommands(program, {
  load: () => load(program.opts<GlobalOptions>()),
  progress: () => progressFor(program.opts<GlobalOptions>()),
  output: (json, human) => output(program.opts<GlobalOptions>(), json, human),
});

program.addCommand(governanceCommand({
  load: () => load(program.opts<GlobalOptions>()),
  output: (json, human) => output(program.opts<GlobalOptions>(), json, human),
}));

program.command('schema')
  .description('print the JSON Schema of network.yaml')
  .action(() => console.log(JSON.stringify(networkJsonSchema(), null, 2)));

registerMembershipCommands(program, {
  network: () => createNetwork(load(program.opts<GlobalOptions>())),
  output: (json, human) => output(program.opts<GlobalOptions>(), json, human),
  progress: () => progressFor(program.opts<GlobalOptions>()),
  parsePort,
});

program.parseAsync().catch((error: unknown) => {
  const options = program.opts<GlobalOptions>();
  if (error instanceof NetworkError) {
    if (options.json) console.log(JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }, null, 2));
    else console.error(`error ${error.code}: ${error.message}`);
    process.exit(cliExitCode(error.code));
  }
  console.error(error);
  process.exit(1);
});
