import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalize } from 'json-canonicalize';
import { stringify } from 'yaml';
import { createNetwork, createProgress, loadNetwork, type Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { REPO_ROOT } from '../support/testNetwork';
import { setUpTransferAsset } from '../support/transferAssetFixture';
import { caliperCli, ensureCaliper } from './caliperInstall';
import { markdownTable, parseCaliperTables } from './caliperResults';
import { caliperRounds, registerRequestsNeeded, ROUND_SIZES } from './caliperRounds';
import type { CaliperData } from './workloads/caliperWorkload';

const CALIPER_DIR = path.join(REPO_ROOT, '.caliper');
const RESULTS_DIR = path.join(REPO_ROOT, 'bench-results', 'caliper');
const NETWORK_FILE = path.join(REPO_ROOT, 'network.yaml');
const NETWORK_NAME = 'kyc-caliper';
const ASSET = 'CALIPER-ASSET';
const INVESTORS = 40;
/** Orgs Caliper acts as: certifier1 (register; its admin for the bare put), bank1 (status reads), issuer1 (transfer checks). */
const CALIPER_ORGS = ['certifier1', 'bank1', 'issuer1'];
const WORKERS = Number(process.env.KYC_CALIPER_WORKERS ?? 2);

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Caliper's network configuration, written by `kyc-network connection-profile --format caliper` as a user would. */
function writeNetworkConfig(dataDir: string, portBase: number): string {
  const cli = path.join(REPO_ROOT, 'network', 'dist', 'cli.js');
  const result = spawnSync(process.execPath, [
    cli, '-f', NETWORK_FILE, '--name', NETWORK_NAME, '--data-dir', dataDir, '--port-base', String(portBase), '--json',
    'connection-profile', ...CALIPER_ORGS, '--format', 'caliper', '--out-dir', path.join(RESULTS_DIR, 'network'),
  ], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kyc-network connection-profile failed (exit ${result.status}): ${result.stderr}${result.stdout}`);
  return (JSON.parse(result.stdout) as { networkConfig: string }).networkConfig;
}

/** Attestation inputs for the register rounds, ids and transfer checks for the read rounds, made before Caliper starts. */
async function writeWorkloadData(network: Network, up: Awaited<ReturnType<Network['up']>>): Promise<string> {
  const networkId = `${network.config.name}/${network.config.channel.name}`;
  log(`  … setting up ${ASSET} with ${INVESTORS} registered investors through the gateways (not timed)`);
  const asset = await setUpTransferAsset(network, up.gateways, ASSET, INVESTORS);
  const count = registerRequestsNeeded();
  log(`  … signing ${count} attestation requests (not timed)`);
  const data: CaliperData = {
    chaincode: network.config.chaincode.name,
    runTag: Date.now().toString(36),
    registerRequests: Array.from({ length: count }, () => JSON.stringify(attestationRequest(networkId, { kind: 'secp256k1' }).input)),
    attestationIds: asset.attestationIds,
    transferChecks: Array.from({ length: 500 }, (_, i) => canonicalize({ asset: ASSET, ...asset.checkOf(i) })),
  };
  const file = path.join(RESULTS_DIR, 'workload-data.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

/** Runs `caliper launch manager`, its output teed to caliper.log; resolves with that output. */
function runCaliper(networkConfig: string, benchConfig: string): Promise<string> {
  const logFile = createWriteStream(path.join(RESULTS_DIR, 'caliper.log'));
  const child = spawn(process.execPath, [
    caliperCli(CALIPER_DIR), 'launch', 'manager',
    '--caliper-workspace', RESULTS_DIR,
    '--caliper-networkconfig', networkConfig,
    '--caliper-benchconfig', benchConfig,
    '--caliper-report-path', path.join(RESULTS_DIR, 'report.html'),
    // Only the test rounds: the network is up and the chaincode deployed, which the
    // peer-gateway connector cannot do anyway.
    '--caliper-flow-only-test',
    '--caliper-fabric-timeout-invokeorquery', '120',
  ], { cwd: CALIPER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const take = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    logFile.write(text);
    // Progress only: round starts and ends, and errors (the whole log is in caliper.log).
    for (const line of text.split('\n')) if (/Started round|Finished round|error/i.test(line)) log(`  caliper: ${line.replace(/\u001b\[[0-9;]*m/g, '').trim().slice(0, 240)}`);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      logFile.end();
      if (code === 0) resolve(output);
      else reject(new Error(`caliper exited with ${code ?? signal}; see ${path.join(RESULTS_DIR, 'caliper.log')}`));
    });
  });
}

/**
 * `npm run bench:caliper`: Hyperledger Caliper 0.6.0 (installed into .caliper/) against a
 * network this run starts (ports from KYC_CALIPER_PORT_BASE, default 25000, data in a temp
 * directory) and removes at the end, also on failure. Leaves Caliper's report at
 * bench-results/caliper/report.html and prints its table as markdown. Measures, never asserts;
 * throws only when a round has no successful transaction (a broken bench).
 */
async function main(): Promise<void> {
  const started = performance.now();
  ensureCaliper(CALIPER_DIR, log);
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });

  const portBase = Number(process.env.KYC_CALIPER_PORT_BASE ?? 25000);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-caliper-'));
  const network = createNetwork(loadNetwork(NETWORK_FILE, { name: NETWORK_NAME, dataDir, portBase }));
  let stopping = false;
  const stop = async () => {
    if (stopping || process.env.KYC_CALIPER_KEEP) return;
    stopping = true;
    log('network: stopping and removing');
    await network.prune();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().finally(() => process.exit(143)));

  try {
    // Inside the try: a start that fails half-way still stops what it started.
    log('network');
    const up = await network.up(createProgress((line) => log(`  ${line}`)));
    const dataFile = await writeWorkloadData(network, up);
    const networkConfig = writeNetworkConfig(dataDir, portBase);
    const rounds = caliperRounds(path.join(__dirname, 'workloads'), dataFile);
    const benchConfig = path.join(RESULTS_DIR, 'benchconfig.yaml');
    writeFileSync(benchConfig, stringify({
      test: {
        name: 'kyc-ledger',
        description: `kyc-ledger on Hyperledger Fabric: bare put, single register, status reads, transfer checks (${WORKERS} workers)`,
        workers: { number: WORKERS },
        rounds,
      },
    }));
    log(`caliper: ${rounds.length} rounds, ${WORKERS} workers; submits at ${ROUND_SIZES.rate} and ${ROUND_SIZES.saturationRate} TPS, reads at ${ROUND_SIZES.readRate} TPS`);
    const output = await runCaliper(networkConfig, benchConfig);
    const results = parseCaliperTables(output);
    const table = markdownTable(results);
    writeFileSync(path.join(RESULTS_DIR, 'results.md'), `${table}\n`);
    console.log(table);
    const minutes = (performance.now() - started) / 60_000;
    console.log(`\nCaliper 0.6.0 (fabric-gateway binding), ${WORKERS} workers; report: ${path.relative(REPO_ROOT, path.join(RESULTS_DIR, 'report.html'))}; whole run ${minutes.toFixed(1)} min`);
    const missing = rounds.filter((r) => !results.some((res) => res.name === r.label));
    if (missing.length > 0) throw new Error(`no Caliper result for round(s) ${missing.map((r) => r.label).join(', ')}; see caliper.log`);
    const broken = results.filter((r) => r.succ === 0);
    if (broken.length > 0) throw new Error(`round(s) with no successful transaction: ${broken.map((r) => r.name).join(', ')}; see caliper.log`);
    for (const r of results.filter((res) => res.fail > 0)) log(`warning: ${r.name}: ${r.fail} failed (see caliper.log)`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
