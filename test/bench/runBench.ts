import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createNetwork, createProgress, loadNetwork } from '@kyc-ledger/network';
import { REPO_ROOT } from '../support/testNetwork';
import { BenchReport } from './benchReport';
import { benchLedger } from './ledgerBench';
import { benchSignatures } from './signatureBench';
import { benchVerification } from './verificationBench';

/**
 * `npm run bench`: measures, never asserts. Starts its own network (ports from
 * KYC_BENCH_PORT_BASE, default 24000, in a temp directory), prints each figure with its ratio to
 * the in-run baseline, and ends with one JSON line of every figure.
 */
async function main(): Promise<void> {
  const report = new BenchReport();
  process.stderr.write('signature verification (one core)\n');
  benchSignatures(report);

  const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-bench-'));
  const network = createNetwork(loadNetwork(path.join(REPO_ROOT, 'network.yaml'), {
    name: 'kyc-bench', dataDir, portBase: Number(process.env.KYC_BENCH_PORT_BASE ?? 24000),
  }));
  process.stderr.write('network\n');
  const up = await network.up(createProgress((line) => process.stderr.write(`  ${line}\n`)));
  report.add('network.up.seconds', { value: up.steps.reduce((s, st) => s + st.seconds, 0), unit: 's', note: `fabric ${up.fabric.source}` });
  try {
    process.stderr.write('ledger\n');
    await benchLedger(report, network, up.gateways);
    process.stderr.write('verification\n');
    await benchVerification(report, network, up.gateways);
  } finally {
    if (!process.env.KYC_BENCH_KEEP) await network.prune();
  }
  report.printJson();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
