import { readFile, writeFile } from 'node:fs/promises';
import { NetworkError } from '../errors';

/** Reads a file named on the command line; INVALID_ARGUMENT (nothing done) when it cannot be read. */
export async function readInputFile(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new NetworkError('INVALID_ARGUMENT', `cannot read ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause, details: { file } });
  }
}

/** Writes a file named on the command line; INVALID_ARGUMENT when it cannot be written (e.g. no such directory). */
export async function writeOutputFile(file: string, bytes: Uint8Array, what: string): Promise<void> {
  try {
    await writeFile(file, bytes);
  } catch (cause) {
    throw new NetworkError('INVALID_ARGUMENT', `cannot write ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause, details: { file } });
  }
}
