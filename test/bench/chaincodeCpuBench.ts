import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { round, runPool, type BenchReport } from './benchReport';
import { Categories, SHIM_SIDE, splitProfile, type Category, type CpuProfile } from './chaincodeProfile';

const TXS = Number(process.env.KYC_BENCH_CC_TXS ?? 400);
const IN_FLIGHT = 32;
/** MAJORITY of the four orgs: each transaction runs on three chaincode processes. */
const ENDORSERS = 3;

interface Segment {
  cpuMs: number;
  byCategory: Record<Category, number>;
  byFunction: Map<string, number>;
}

function pids(dir: string): number[] {
  return readdirSync(dir).filter((f) => f.endsWith('.pid')).map((f) => Number(readFileSync(path.join(dir, f), 'utf8')));
}

/** Signals every chaincode process and, when `n` is given, waits for each to write segment n. */
async function mark(dir: string, n?: number): Promise<Segment | undefined> {
  const all = pids(dir);
  for (const pid of all) process.kill(pid, 'SIGUSR2');
  if (n === undefined) return undefined;
  const names = readdirSync(dir).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -'.pid'.length));
  const deadline = Date.now() + 30_000;
  while (!names.every((name) => existsSync(path.join(dir, `${name}-${n}.json`)))) {
    if (Date.now() > deadline) throw new Error(`chaincode profile ${n} not written in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const segment: Segment = { cpuMs: 0, byCategory: Object.fromEntries(Object.keys(Categories).map((c) => [c, 0])) as Record<Category, number>, byFunction: new Map() };
  for (const name of names) {
    const usage = JSON.parse(readFileSync(path.join(dir, `${name}-${n}.json`), 'utf8')) as { userMicros: number; systemMicros: number };
    segment.cpuMs += (usage.userMicros + usage.systemMicros) / 1000;
    const file = path.join(dir, `${name}-${n}.cpuprofile`);
    if (!existsSync(file)) continue;
    const split = splitProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    for (const [c, ms] of Object.entries(split.byCategory)) segment.byCategory[c as Category] += ms;
    for (const [f, ms] of split.byFunction) segment.byFunction.set(f, (segment.byFunction.get(f) ?? 0) + ms);
  }
  return segment;
}

function describe(segment: Segment, txs: number): string {
  const sampled = Object.values(segment.byCategory).reduce((a, b) => a + b, 0);
  const perEndorsement = (ms: number) => round((segment.cpuMs / (txs * ENDORSERS)) * (ms / sampled));
  const shim = SHIM_SIDE.reduce((sum, c) => sum + segment.byCategory[c], 0);
  const parts = (Object.keys(Categories) as Category[]).filter((c) => segment.byCategory[c] > 0).map((c) => `${c} ${perEndorsement(segment.byCategory[c])}`);
  return `shim side ${perEndorsement(shim)} ms, ours ${perEndorsement(sampled - shim - segment.byCategory.gc)} ms, gc ${perEndorsement(segment.byCategory.gc)} ms (${parts.join(', ')})`;
}

/**
 * Chaincode CPU per endorsement of `probe:put` and `attestation:register`, and where it goes: the
 * chaincode processes (started by the builder with cpuProfile.js because runBench set
 * KYC_CHAINCODE_CPU_PROFILE) are profiled over `TXS` closed-loop submits of each kind; CPU time is
 * the processes' own count, split in proportion to the profile's samples.
 */
export async function benchChaincodeCpu(report: BenchReport, network: Network, dir: string): Promise<void> {
  if (pids(dir).length === 0) throw new Error(`no chaincode process registered in ${dir}: is KYC_CHAINCODE_CPU_PROFILE passed to the builder?`);
  const networkId = `${network.config.name}/${network.config.channel.name}`;
  const certifier = connectAs(network, 'certifier1');
  const admin = connectAs(network, 'certifier1', 'admin');
  try {
    const keys = Array.from({ length: 16 }, () => attestationRequest(networkId, { kind: 'secp256k1' }).key);
    const requests = Array.from({ length: TXS }, (_, i) => JSON.stringify(attestationRequest(networkId, { kind: 'secp256k1', key: keys[i % keys.length] }).input));
    const value = 'v'.repeat(600);
    await mark(dir);
    await runPool(TXS, IN_FLIGHT, (i) => admin.contract.submitTransaction('probe:put', `cpu-${i}`, value));
    const put = (await mark(dir, 0)) as Segment;
    await runPool(TXS, IN_FLIGHT, (i) => certifier.contract.submitTransaction('attestation:register', requests[i] as string));
    writeFileSync(path.join(dir, 'off'), '');
    const att = (await mark(dir, 1)) as Segment;
    const per = (s: Segment) => s.cpuMs / (TXS * ENDORSERS);
    report.add('chaincode.cpu.bareput.msPerEndorsement', { value: per(put), unit: 'ms', note: `probe:put, ${TXS} closed-loop submits, ${ENDORSERS} endorsers: ${describe(put, TXS)}` });
    report.add('chaincode.cpu.attestation.msPerEndorsement', { value: per(att), unit: 'ms', note: `attestation:register, same: ${describe(att, TXS)}` });
    const top = (s: Segment) => [...s.byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([f, ms]) => `    ${round(ms / TXS / ENDORSERS)} ms  ${f}`).join('\n');
    process.stderr.write(`  … heaviest functions per put endorsement (self time):\n${top(put)}\n  … per register endorsement:\n${top(att)}\n  … profiles in ${dir}\n`);
  } finally {
    certifier.close();
    admin.close();
  }
}
