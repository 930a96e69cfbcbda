import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile (written by `node --cpu-prof`) the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function or one package. */
export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the profile's busy time (idle excluded). */
  share: number;
}

export interface ProfileSummary {
  /** Sampled time not idle, ms. */
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
}

/**
 * Who owns a script: the npm package under node_modules, the project's workspace (`gateway`,
 * `crypto`…), Node.js itself (`node:internal/http` → `node:http`), or V8's pseudo-frames
 * (`(garbage collector)`, `(program)`).
 */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) {
    const rest = url.slice('node:'.length).replace(/^internal\//, '');
    return `node:${rest.split('/')[0]?.replace(/\.js$/, '') ?? rest}`;
  }
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? url);
  }
  const workspace = /\/([^/]+)\/dist\//.exec(url);
  return workspace ? `kyc-ledger/${workspace[1] ?? ''}` : url;
}

function shortFile(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = /\/([^/]+\/dist\/.*)$/.exec(url);
  return dist?.[1] ?? url.replace(/^file:\/\//, '');
}

/**
 * Self time by function and by package, the busiest first, over one or more profiles (a gateway
 * running several cluster workers writes one per process).
 */
export function summariseCpuProfile(profiles: CpuProfile | readonly CpuProfile[], top = 20): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  const list: readonly CpuProfile[] = Array.isArray(profiles) ? (profiles as readonly CpuProfile[]) : [profiles as CpuProfile];
  for (const profile of list) {
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = frames.get(id);
      const us = profile.timeDeltas[i] ?? 0;
      if (!frame) return;
      if (frame.functionName === '(idle)') {
        idleUs += us;
        return;
      }
      busyUs += us;
      const name = frame.url === '' ? frame.functionName : `${frame.functionName || '(anonymous)'} ${shortFile(frame.url)}:${frame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
      const pkg = packageOf(frame.url, frame.functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    });
  }
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, functions: rank(byFunction), packages: rank(byPackage) };
}

/** The summary as text: the top functions and packages by self time, each with its share. */
export function formatProfileSummary(summary: ProfileSummary): string {
  const line = (t: SelfTime) => `  ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(7)} ms  ${t.name}`;
  return [
    `busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms`,
    'top functions by self time:', ...summary.functions.map(line),
    'by package (self time):', ...summary.packages.map(line),
  ].join('\n');
}

/** Reads and summarises profile files together. */
export function summariseCpuProfileFile(files: string | readonly string[], top = 20): ProfileSummary {
  const list = typeof files === 'string' ? [files] : files;
  return summariseCpuProfile(list.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CpuProfile), top);
}

/** `node test/dist/bench/cpuProfileSummary.js <file.cpuprofile>… [--top N]`: the files summed. */
if (require.main === module) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 20;
  if (args.length === 0) {
    process.stderr.write('usage: cpuProfileSummary <file.cpuprofile>… [--top N]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfileSummary(summariseCpuProfileFile(args, top))}\n`);
}
