import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * A Linux network namespace joined to this machine by a veth pair: the host side holds
 * 10.<subnet>.0.1/24, the namespace side 10.<subnet>.0.2/24, so a process started inside has its
 * own address (what a member org's own machine is in the tests). Needs root (`ip netns`).
 */
export interface Netns {
  readonly name: string;
  /** This machine's address on the veth pair, as seen from inside. */
  readonly hostAddress: string;
  /** The namespace's own address. */
  readonly nsAddress: string;
  /** `ip netns exec <name> <command> <args…>` as a child process. */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Runs a command inside to completion; rejects (with its output) when it exits non-zero. */
  run(command: string, args: readonly string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<{ stdout: string; stderr: string }>;
  /** Kills what still runs inside, deletes the namespace and the veth pair. Safe to call twice. */
  delete(): Promise<void>;
}

/** Namespaces this process created and has not deleted yet: removed on exit whatever happens. */
const live = new Map<string, () => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const cleanup of live.values()) cleanup();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const cleanup of live.values()) cleanup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

function ipSync(args: readonly string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/**
 * Synchronous so it can run from an exit hook: SIGKILLs every process inside the namespace (all
 * started by the test that created it), then removes the namespace and the host end of the veth
 * pair (which takes the namespace end with it).
 */
function removeSync(name: string, hostVeth: string): void {
  for (const pid of ipSync(['netns', 'pids', name]).split('\n').map((l) => Number(l.trim())).filter((p) => p > 0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  ipSync(['netns', 'delete', name]);
  ipSync(['link', 'delete', hostVeth]);
}

async function ip(args: readonly string[]): Promise<void> {
  try {
    await execFileAsync('ip', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`, { cause: error });
  }
}

/**
 * Creates namespace `name` on 10.<subnet>.0.0/24 (subnet 1…254). A namespace or veth left by an
 * earlier crashed run under the same name is removed first; a subnet some other interface already
 * routes is refused, so the test never shadows the machine's own routes.
 */
export async function createNetns(name: string, subnet: number): Promise<Netns> {
  if (!/^[a-z0-9-]{1,32}$/.test(name)) throw new Error(`netns name "${name}": lower-case letters, digits and dashes, at most 32`);
  if (!Number.isInteger(subnet) || subnet < 1 || subnet > 254) throw new Error(`netns subnet ${subnet}: an integer from 1 to 254`);
  // Interface names are limited to 15 characters, so they derive from the subnet, not the name.
  const hostVeth = `kyc${subnet}h`;
  const nsVeth = `kyc${subnet}n`;
  const cidr = `10.${subnet}.0.0/24`;
  removeSync(name, hostVeth);
  const routed = ipSync(['-o', 'route', 'show', 'to', 'match', `10.${subnet}.0.1/32`]).split('\n').filter((l) => l.trim() && !l.startsWith('default'));
  if (routed.length > 0) throw new Error(`netns subnet ${cidr} is already routed on this machine: ${routed.join('; ')}`);
  installExitHook();
  const cleanup = () => removeSync(name, hostVeth);
  live.set(name, cleanup);
  const hostAddress = `10.${subnet}.0.1`;
  const nsAddress = `10.${subnet}.0.2`;
  try {
    await ip(['netns', 'add', name]);
    await ip(['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', nsVeth]);
    await ip(['link', 'set', nsVeth, 'netns', name]);
    await ip(['addr', 'add', `${hostAddress}/24`, 'dev', hostVeth]);
    await ip(['link', 'set', hostVeth, 'up']);
    await ip(['-n', name, 'addr', 'add', `${nsAddress}/24`, 'dev', nsVeth]);
    await ip(['-n', name, 'link', 'set', nsVeth, 'up']);
    await ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    cleanup();
    live.delete(name);
    throw error;
  }
  const inside = (command: string, args: readonly string[]) => ['netns', 'exec', name, command, ...args];
  return {
    name,
    hostAddress,
    nsAddress,
    spawn: (command, args, options = {}) => spawn('ip', inside(command, args), options),
    run: async (command, args, options = {}) => {
      try {
        const { stdout, stderr } = await execFileAsync('ip', inside(command, args), {
          env: options.env ?? process.env,
          ...(options.cwd !== undefined && { cwd: options.cwd }),
          timeout: options.timeoutMs ?? 300_000,
          maxBuffer: 64 * 1024 * 1024,
        });
        return { stdout, stderr };
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; code?: number | string };
        throw new Error(`in netns ${name}: ${command} ${args.join(' ')} failed (${e.code ?? 'no exit code'}):\n${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: error });
      }
    },
    delete: async () => {
      cleanup();
      live.delete(name);
    },
  };
}

/** True when this process may create network namespaces (root); the tests that need one skip otherwise. */
export function canCreateNetns(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
