import { spawn } from 'node:child_process';

/** How a crash-test child ended: its exit code or signal, and what it wrote to stderr. */
export interface CrashChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs `script` in a child Node process with `env` added, for the crash tests that SIGKILL it at a
 * chosen step. A child still running after `stuckAfterMs` is killed too, but reported as a failure
 * (exit code -1), never as a crash point, so a stalled sync cannot pass for a crash.
 */
export function runCrashChild(script: string, env: NodeJS.ProcessEnv, stuckAfterMs: number): Promise<CrashChildResult> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let stuck = false;
    const timer = setTimeout(() => {
      stuck = true;
      proc.kill('SIGKILL');
    }, stuckAfterMs);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(stuck ? { code: -1, signal: null, stderr: `stuck for ${stuckAfterMs / 1000} s\n${stderr}` } : { code, signal, stderr });
    });
  });
}
