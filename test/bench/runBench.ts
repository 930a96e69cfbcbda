import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createNetwork, createProgress, loadNetwork } from '@kyc-ledger/network';
import { REPO_ROOT } from '../support/testNetwork';
import { BenchReport } from './benchReport';
import { benchChaincodeCpu } from './chaincodeCpuBench';
import { benchLedger } from './ledgerBench';
import { benchRegistrySync } from './registrySyncBench';
import { benchSignatures } from './signatureBench';
import { benchTransferChecks } from './transferBench';
import { benchVerification } from './verificationBench';

/** Request limits of the bench's gateways: out of reach of the bench's own load. */
const BENCH_RATE_LIMIT = { perKey: 100_000_000, perAddress: 100_000_000, anonymousPerAddress: 100_000_000 };

/** `verification` runs the in-process read path and the whole verification over HTTP; `httpVerification` only the latter. */
const BANK_INSTANCES = Number(process.env.KYC_BENCH_BANK_INSTANCES ?? 1);

const PARTS = ['signatures', 'ledger', 'verification', 'httpVerification', 'transfers', 'registrySync'] as const;
type Part = (typeof PARTS)[number];

/** KYC_BENCH_PARTS (comma-separated) runs only some parts, so one figure can be re-measured quickly. */
function selectedParts(): Set<Part> {
  const raw = process.env.KYC_BENCH_PARTS;
  if (!raw) return new Set(PARTS);
  const names = raw.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  const unknown = names.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`KYC_BENCH_PARTS: unknown part(s) ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  return new Set(names as Part[]);
}

/**
 * `npm run bench`: measures, never asserts. Starts its own network (ports from
 * KYC_BENCH_PORT_BASE, default 24000, in a temp directory), prints each figure with its ratio to
 * the in-run baseline, and ends with one JSON line of every figure.
 */
async function main(): Promise<void> {
  const parts = selectedParts();
  const report = new BenchReport();
  if (parts.has('signatures')) {
    process.stderr.write('signature verification (one core)\n');
    benchSignatures(report);
  }
  if (!parts.has('ledger') && !parts.has('verification') && !parts.has('httpVerification') && !parts.has('transfers') && !parts.has('registrySync')) {
    report.printJson();
    return;
  }

  const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-bench-'));
  // The ledger part profiles the chaincode processes: the peers pass this to our builder, which
  // loads network/src/builder/cpuProfile.ts into the chaincode (idle until the bench signals it).
  // KYC_BENCH_CC_PROFILE=0 leaves it out.
  const profileChaincode = parts.has('ledger') && process.env.KYC_BENCH_CC_PROFILE !== '0';
  const profileDir = profileChaincode ? mkdtempSync(path.join(tmpdir(), 'kyc-bench-cc-')) : undefined;
  if (profileDir) process.env.KYC_CHAINCODE_CPU_PROFILE = profileDir;
  const network = createNetwork(loadNetwork(path.join(REPO_ROOT, 'network.yaml'), {
    name: 'kyc-bench', dataDir, portBase: Number(process.env.KYC_BENCH_PORT_BASE ?? 24000),
    // The bench drives each gateway flat out from one address with one key, far above the default
    // request limits, which would otherwise throttle it (and measure the limiter, not the gateway).
    gatewayRateLimit: BENCH_RATE_LIMIT,
    // KYC_BENCH_BANK_INSTANCES=N runs bank1's gateway as N processes on its one port (kyc-gateway
    // --instances), to see whether one gateway process is the limit of the verification over HTTP.
    ...(BANK_INSTANCES > 1 && { gatewayInstances: { bank1: BANK_INSTANCES } }),
  }));
  process.stderr.write('network\n');
  const up = await network.up(createProgress((line) => process.stderr.write(`  ${line}\n`)));
  report.add('network.up.seconds', { value: up.steps.reduce((s, st) => s + st.seconds, 0), unit: 's', note: `fabric ${up.fabric.source}` });
  try {
    if (parts.has('ledger')) {
      process.stderr.write('ledger\n');
      await benchLedger(report, network, up.gateways);
      if (profileDir) await benchChaincodeCpu(report, network, profileDir);
    }
    if (parts.has('verification') || parts.has('httpVerification')) {
      process.stderr.write('verification\n');
      await benchVerification(report, network, up.gateways, { readPath: parts.has('verification'), http: true });
    }
    if (parts.has('transfers')) {
      process.stderr.write('transfer checks\n');
      await benchTransferChecks(report, network, up.gateways);
    }
    if (parts.has('registrySync')) {
      process.stderr.write('registry sync to the EVM chain\n');
      await benchRegistrySync(report, network, up.gateways, up.privateChains);
    }
  } finally {
    if (!process.env.KYC_BENCH_KEEP) {
      await network.prune();
      // KYC_BENCH_KEEP_PROFILES=1 keeps the chaincode's .cpuprofile files (open them in Chrome DevTools).
      if (profileDir && !process.env.KYC_BENCH_KEEP_PROFILES) rmSync(profileDir, { recursive: true, force: true });
    }
  }
  report.printJson();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
