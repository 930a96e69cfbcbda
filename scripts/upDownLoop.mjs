#!/usr/bin/env node
// Start-up soak: repeated `down`/`up` and `kill <orderer>`/`up` cycles on a network of its own
// (own name, data directory and port base), reporting each cycle's outcome and duration and a
// final count. Slow (about half a minute a cycle), so not part of `npm test`.
//
//   npm run soak:updown -- --cycles 50 --kill-orderer-cycles 20 [--port-base 19000]
//
// Long runs can be split into chunks that share one --results file; --summary prints the totals
// over every chunk recorded there. Every run ends with the network stopped.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const repo = path.resolve(import.meta.dirname, '..');
const cli = path.join(repo, 'network', 'dist', 'cli.js');

const { values: opts } = parseArgs({
  options: {
    cycles: { type: 'string', default: '50' },
    'kill-orderer-cycles': { type: 'string', default: '20' },
    orderer: { type: 'string', default: 'orderer0' },
    name: { type: 'string', default: 'kyc-soak' },
    'data-dir': { type: 'string', default: path.join(repo, '.kyc-ledger', 'kyc-soak') },
    'port-base': { type: 'string', default: '19000' },
    results: { type: 'string' },
    summary: { type: 'boolean', default: false },
    prune: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (opts.help) {
  console.log(`usage: node scripts/upDownLoop.mjs [--cycles 50] [--kill-orderer-cycles 20] [--orderer orderer0]
       [--name kyc-soak] [--data-dir DIR] [--port-base 19000] [--results FILE.jsonl] [--summary] [--prune]
  --results    append one JSON line per cycle to FILE (chunks of one soak share it)
  --summary    print the totals recorded in --results and exit
  --prune      delete the soak network's data directory at the end`);
  process.exit(0);
}

const resultsFile = opts.results ?? path.join(opts['data-dir'], '..', `${opts.name}-results.jsonl`);
const globalArgs = ['--name', opts.name, '--data-dir', opts['data-dir'], '--port-base', opts['port-base']];
const failureDir = path.join(path.dirname(resultsFile), `${opts.name}-failures`);

/** Runs the network CLI; resolves with its exit code, output and duration (never rejects). */
function network(args) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...globalArgs, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code, output, seconds: (performance.now() - started) / 1000 }));
  });
}

/** After `up`: every node runs and is healthy (gateways included). */
async function allHealthy() {
  const r = await network(['--json', 'status']);
  if (r.code !== 0) return `status failed: ${r.output.slice(-500)}`;
  const status = JSON.parse(r.output.slice(r.output.indexOf('{')));
  const bad = status.nodes.filter((n) => !n.running || !n.healthy).map((n) => n.id);
  return bad.length === 0 ? undefined : `not healthy after up: ${bad.join(', ')}`;
}

/** Each finished step of `up` and its seconds, from its progress lines ("✔ step (1.2 s)"). */
function stepTimes(output) {
  const steps = {};
  for (const m of output.matchAll(/^✔ (.+?) \(([\d.]+) s\)/gm)) steps[m[1]] = Number(m[2]);
  return steps;
}

function errorLine(output) {
  const line = output.split('\n').find((l) => l.startsWith('error ')) ?? output.trim().split('\n').slice(-1)[0] ?? '';
  return line.slice(0, 300);
}

function summarize(records) {
  const kinds = ['down-up', 'kill-orderer-up'];
  const lines = [];
  for (const kind of kinds) {
    const rs = records.filter((r) => r.kind === kind);
    if (rs.length === 0) continue;
    const ok = rs.filter((r) => r.ok);
    const ups = ok.map((r) => r.upSeconds).sort((a, b) => a - b);
    const cycles = ok.map((r) => r.seconds);
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
    const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
    lines.push(`${kind}: ${ok.length}/${rs.length} succeeded; cycle mean ${mean(cycles).toFixed(1)} s; ` +
      `up mean ${mean(ups).toFixed(1)} s, median ${pct(ups, 50).toFixed(1)} s, max ${(ups.at(-1) ?? 0).toFixed(1)} s`);
    for (const f of rs.filter((r) => !r.ok)) lines.push(`  failed ${f.kind} #${f.cycle} at ${f.at}: ${f.error}`);
  }
  return lines.join('\n');
}

function readResults() {
  if (!existsSync(resultsFile)) return [];
  return readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

if (opts.summary) {
  console.log(`${resultsFile}\n${summarize(readResults())}`);
  process.exit(0);
}

if (!existsSync(cli)) {
  console.error(`${cli} is missing: run npm run build first`);
  process.exit(2);
}
mkdirSync(path.dirname(resultsFile), { recursive: true });

let stopping = false;
process.on('SIGINT', () => { stopping = true; console.log('\ninterrupted: finishing this cycle, then stopping the network'); });

const thisRun = [];
async function cycle(kind, n, total, first, firstName) {
  const started = performance.now();
  const a = await network(first);
  let record;
  if (a.code !== 0) {
    record = { ok: false, error: `${firstName} failed: ${errorLine(a.output)}`, output: a.output };
  } else {
    const up = await network(['up']);
    const unhealthy = up.code === 0 ? await allHealthy() : undefined;
    record = up.code !== 0
      ? { ok: false, error: `up failed: ${errorLine(up.output)}`, output: up.output, upSeconds: up.seconds }
      : unhealthy
        ? { ok: false, error: unhealthy, output: up.output, upSeconds: up.seconds }
        : { ok: true, upSeconds: up.seconds, steps: stepTimes(up.output) };
    record.firstSeconds = a.seconds;
  }
  const seconds = (performance.now() - started) / 1000;
  const entry = { kind, cycle: n, ok: record.ok, seconds: Number(seconds.toFixed(2)), upSeconds: Number((record.upSeconds ?? 0).toFixed(2)), at: new Date().toISOString(), ...(record.error && { error: record.error }), ...(record.steps && { steps: record.steps }) };
  if (!record.ok) {
    mkdirSync(failureDir, { recursive: true });
    const file = path.join(failureDir, `${kind}-${n}-${Date.now()}.log`);
    writeFileSync(file, record.output ?? '');
    entry.log = file;
  }
  appendFileSync(resultsFile, `${JSON.stringify(entry)}\n`);
  thisRun.push(entry);
  console.log(`${kind} ${n}/${total}: ${entry.ok ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s (${firstName} ${(record.firstSeconds ?? 0).toFixed(1)} s, up ${entry.upSeconds.toFixed(1)} s)${entry.ok ? '' : ` — ${entry.error} (log ${entry.log})`}`);
}

const cycles = Number(opts.cycles);
const killCycles = Number(opts['kill-orderer-cycles']);
console.log(`soak network ${opts.name} (port base ${opts['port-base']}, data ${opts['data-dir']}); results → ${resultsFile}`);
try {
  const setup = await network(['up']);
  console.log(`setup up: ${setup.code === 0 ? 'ok' : 'FAILED'} in ${setup.seconds.toFixed(1)} s${setup.code === 0 ? '' : ` — ${errorLine(setup.output)}`}`);
  if (setup.code !== 0) process.exitCode = 1;
  else {
    for (let i = 1; i <= cycles && !stopping; i++) await cycle('down-up', i, cycles, ['down'], 'down');
    for (let i = 1; i <= killCycles && !stopping; i++) await cycle('kill-orderer-up', i, killCycles, ['kill', opts.orderer], `kill ${opts.orderer}`);
  }
} finally {
  const down = await network(opts.prune ? ['prune'] : ['down']);
  console.log(`network ${opts.prune ? 'pruned' : 'stopped'} (${down.code === 0 ? 'ok' : `FAILED: ${errorLine(down.output)}`})`);
}
console.log(`\nthis run:\n${summarize(thisRun)}`);
console.log(`\nall runs recorded in ${resultsFile}:\n${summarize(readResults())}`);
if (thisRun.some((r) => !r.ok)) process.exitCode = 1;
