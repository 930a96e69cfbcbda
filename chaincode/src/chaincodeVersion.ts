import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChaincodeVersion } from '@kyc-ledger/api';

let cached: ChaincodeVersion | undefined;

/**
 * The package this process runs and its package.json version. The package ID comes from the
 * external builder (network/src/builder, KYC_CHAINCODE_PACKAGE_ID), which the peer tells which
 * package it launches; both are fixed for the life of the process. Only read-only transactions
 * may answer with it: two orgs may run different packages of one definition.
 */
export function chaincodeVersion(env: NodeJS.ProcessEnv = process.env): ChaincodeVersion {
  if (env === process.env && cached) return cached;
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
  const packageId = env.KYC_CHAINCODE_PACKAGE_ID || null;
  const separator = packageId?.lastIndexOf(':') ?? -1;
  const version: ChaincodeVersion = {
    packageId,
    label: packageId && separator > 0 ? packageId.slice(0, separator) : null,
    version: manifest.version ?? '0.0.0',
  };
  if (env === process.env) cached = version;
  return version;
}
