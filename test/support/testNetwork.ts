import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createNetwork, createProgress, loadNetwork, type Network } from '@kyc-ledger/network';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * An isolated copy of the default network for one test run: its own name, temp data directory and
 * port range (KYC_TEST_PORT_BASE, default 17000), so it can run beside a developer's network.
 */
export function createTestNetwork(label: string, portBase = Number(process.env.KYC_TEST_PORT_BASE ?? 17000), consensus?: 'raft' | 'bft'): Network {
  const dataDir = mkdtempSync(path.join(tmpdir(), `kyc-${label}-`));
  const config = loadNetwork(path.join(REPO_ROOT, 'network.yaml'), { name: `kyc-test-${label}`, dataDir, portBase, ...(consensus && { consensus }) });
  return createNetwork(config);
}

/** Progress lines go to stderr only when KYC_TEST_VERBOSE is set. */
export function testProgress() {
  return createProgress(process.env.KYC_TEST_VERBOSE ? (line) => process.stderr.write(`      ${line}\n`) : undefined);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `fn` until it returns without throwing or `timeoutMs` passes (then rethrows). */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 30_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
