import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made: string[] = [];
let hooked = false;

/**
 * A fresh directory under the OS temp dir for one test's files, removed when the test process
 * exits (kept with KYC_TEST_KEEP=1 for a look afterwards), so repeated runs leave nothing behind.
 */
export function scratchDir(prefix: string): string {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      if (process.env.KYC_TEST_KEEP) return;
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
