import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { vectorFiles } from './vectors.js';

/**
 * Writes the test vector files: `node crypto/dist/generateVectors.js [outDir]` (default
 * test/vectors at the repository root). Run it only when a format change is intended.
 */
function main(): void {
  const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'test', 'vectors'));
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(vectorFiles())) {
    writeFileSync(path.join(outDir, name), text);
    process.stderr.write(`wrote ${path.join(outDir, name)}\n`);
  }
}

main();
