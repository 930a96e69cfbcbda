import { spawn } from 'node:child_process';
import { NetworkError } from './errors';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each line the command prints (stdout and stderr). */
  onLine?: (line: string) => void;
  /** Bytes to write to the command's standard input. */
  input?: string | Buffer;
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

const TAIL_CHARS = 4000;

/**
 * Runs a program to completion and returns its output; a non-zero exit becomes a
 * COMMAND_FAILED error carrying the command, exit code and the tail of its output.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const lineSplitter = () => {
      let pending = '';
      return (chunk: Buffer) => {
        if (!options.onLine) return;
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) options.onLine(line);
      };
    };
    const onOut = lineSplitter();
    const onErr = lineSplitter();
    child.stdout?.on('data', (chunk: Buffer) => { out.push(chunk); onOut(chunk); });
    child.stderr?.on('data', (chunk: Buffer) => { err.push(chunk); onErr(chunk); });
    child.on('error', (cause) => {
      reject(new NetworkError('COMMAND_FAILED', `cannot run ${command}: ${cause.message}`, { cause, details: { command, args } }));
    });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const tail = (stderr || stdout).slice(-TAIL_CHARS).trim();
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      reject(new NetworkError('COMMAND_FAILED', `${command} ${args.join(' ')} failed (${how}):\n${tail}`, {
        details: { command, args, code, signal, stdout, stderr },
      }));
    });
    if (options.input !== undefined && child.stdin) {
      // A program may exit before reading its input; that is its exit code's business, not an EPIPE crash.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}
