/**
 * Fabric external chaincode builder for kyc-ledger's Node chaincode (metadata type "kyc-node").
 * The peer calls bin/detect, bin/build, bin/release and bin/run (thin shell wrappers) which land
 * here. Nothing is downloaded: the package already holds the compiled code and its dependencies.
 * See https://hyperledger-fabric.readthedocs.io (external builders and launchers) for the contract.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CHAINCODE_TYPE = 'kyc-node';

interface RunMetadata {
  chaincode_id: string;
  peer_address: string;
  client_cert: string;
  client_key: string;
  root_cert: string;
  mspid: string;
}

function fail(message: string): never {
  process.stderr.write(`kyc-node builder: ${message}\n`);
  process.exit(1);
}

function detect(_sourceDir: string, metadataDir: string): void {
  const metadata = JSON.parse(readFileSync(path.join(metadataDir, 'metadata.json'), 'utf8')) as { type?: string };
  process.exit(metadata.type?.toLowerCase() === CHAINCODE_TYPE ? 0 : 1);
}

function build(sourceDir: string, _metadataDir: string, outputDir: string): void {
  for (const required of ['package.json', 'dist/index.js', 'node_modules/fabric-shim/cli.js']) {
    if (!existsSync(path.join(sourceDir, required))) fail(`package lacks ${required}`);
  }
  cpSync(sourceDir, outputDir, { recursive: true });
}

function release(outputDir: string, releaseDir: string): void {
  // CouchDB index definitions, should the chaincode ship any.
  const statedb = path.join(outputDir, 'META-INF', 'statedb');
  if (existsSync(statedb)) cpSync(statedb, path.join(releaseDir, 'statedb'), { recursive: true });
}

function runChaincode(outputDir: string, runMetadataDir: string): void {
  const meta = JSON.parse(readFileSync(path.join(runMetadataDir, 'chaincode.json'), 'utf8')) as RunMetadata;
  const tlsDir = mkdtempSync(path.join(tmpdir(), 'kyc-cc-'));
  const file = (name: string, content: string) => {
    const full = path.join(tlsDir, name);
    writeFileSync(full, content, { mode: 0o600 });
    return full;
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: file('root.crt', meta.root_cert),
    // The Node shim expects the client pair base64-encoded (the root certificate as plain PEM).
    CORE_TLS_CLIENT_CERT_PATH: file('client.crt', Buffer.from(meta.client_cert).toString('base64')),
    CORE_TLS_CLIENT_KEY_PATH: file('client.key', Buffer.from(meta.client_key).toString('base64')),
    CORE_PEER_LOCALMSPID: meta.mspid,
    // The package ID (label:hash) this process runs, so the chaincode can say which version answers.
    KYC_CHAINCODE_PACKAGE_ID: meta.chaincode_id,
  };
  // Benchmarks only: profile the chaincode process (see cpuProfile.ts).
  const profileDir = process.env.KYC_CHAINCODE_CPU_PROFILE;
  if (profileDir) env.KYC_CHAINCODE_CPU_PROFILE = profileDir;
  const node = process.env.KYC_NODE_BIN || process.execPath;
  const child = spawn(node, [
    ...(profileDir ? ['--require', path.join(__dirname, 'cpuProfile.js')] : []),
    path.join(outputDir, 'node_modules', 'fabric-shim', 'cli.js'), 'start',
    '--peer.address', meta.peer_address,
    '--chaincode-id-name', meta.chaincode_id,
    '--module-path', outputDir,
  ], { cwd: outputDir, env, stdio: 'inherit' });
  const cleanup = () => rmSync(tlsDir, { recursive: true, force: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    cleanup();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

const [command, ...args] = process.argv.slice(2);
const [a = '', b = '', c = ''] = args;
switch (command) {
  case 'detect': detect(a, b); break;
  case 'build': build(a, b, c); break;
  case 'release': release(a, b); break;
  case 'run': runChaincode(a, b); break;
  default: fail(`unknown command ${command ?? '(none)'}`);
}
