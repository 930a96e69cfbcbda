import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChaincodePackage } from '../chaincodePackage';
import { NetworkError } from '../errors';
import type { NetworkLayout } from '../layout';

/** One committed chaincode definition, as this data directory saw it committed. */
export interface HistoryEntry {
  sequence: number;
  packageId: string;
  label: string;
  /** The package file kept in the data directory, so a rollback can install it again. */
  packageFile: string;
  /** The chaincode source directory it was packaged from (absent for a rollback). */
  source?: string;
  action: 'deployed' | 'upgraded' | 'rolled back';
  /** ISO time of the commit. */
  committedAt: string;
}

function historyFile(layout: NetworkLayout): string {
  return path.join(layout.root, 'chaincode', 'history.json');
}

/** Every definition committed through this data directory, oldest first. */
export function readHistory(layout: NetworkLayout): HistoryEntry[] {
  const file = historyFile(layout);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HistoryEntry[]) : [];
}

/** Appends an entry (written to a temporary file first, so a crash leaves the old history whole). */
export async function appendHistory(layout: NetworkLayout, entry: HistoryEntry): Promise<void> {
  const file = historyFile(layout);
  await mkdir(path.dirname(file), { recursive: true });
  const entries = [...readHistory(layout), entry];
  await writeFile(`${file}.tmp`, JSON.stringify(entries, null, 2));
  await rename(`${file}.tmp`, file);
}

/**
 * Keeps the package bytes under chaincode/packages/ named by label and hash: packages of one label
 * with different code must not overwrite each other, since a rollback installs the old one again.
 */
export async function keepPackage(layout: NetworkLayout, pkg: ChaincodePackage): Promise<string> {
  const dir = path.join(layout.root, 'chaincode', 'packages');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${pkg.label}-${pkg.packageId.slice(pkg.packageId.lastIndexOf(':') + 1, pkg.packageId.lastIndexOf(':') + 13)}.tar.gz`);
  if (!existsSync(file)) await writeFile(file, pkg.bytes);
  return file;
}

/** A kept package read back; its ID is recomputed from the bytes, so a changed file is caught. */
export async function readKeptPackage(entry: HistoryEntry): Promise<ChaincodePackage> {
  if (!existsSync(entry.packageFile)) {
    throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `the package of sequence ${entry.sequence} (${entry.packageId}) is no longer at ${entry.packageFile}`, { details: entry });
  }
  const bytes = await readFile(entry.packageFile);
  const packageId = `${entry.label}:${createHash('sha256').update(bytes).digest('hex')}`;
  if (packageId !== entry.packageId) {
    throw new NetworkError('CHAINCODE_PACKAGE_FAILED', `${entry.packageFile} is not package ${entry.packageId} any more`, { details: { entry, found: packageId } });
  }
  return { label: entry.label, packageId, bytes, fileCount: 0 };
}

/**
 * The package to roll back to: the most recent one committed before the current package was. After
 * a rollback that is the package just rolled back from, so rollback twice returns to where it was.
 */
export function previousPackage(history: readonly HistoryEntry[], currentPackageId: string): HistoryEntry | undefined {
  const lastCurrent = history.map((e) => e.packageId).lastIndexOf(currentPackageId);
  const before = lastCurrent < 0 ? history : history.slice(0, lastCurrent);
  return [...before].reverse().find((e) => e.packageId !== currentPackageId);
}
