import { readFileSync } from 'node:fs';
import path from 'node:path';

/** test/vectors, found from the compiled location test/dist/unit/crypto. */
export const VECTORS_DIR = path.resolve(__dirname, '..', '..', '..', 'vectors');

/** Text of a committed vector file. */
export function readVectorFile(name: string): string {
  return readFileSync(path.join(VECTORS_DIR, name), 'utf8');
}

/** Parsed committed vector file. */
export function loadVectors<T>(name: string): T {
  return JSON.parse(readVectorFile(name)) as T;
}
