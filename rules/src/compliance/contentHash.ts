import { createHash } from 'node:crypto';
import { canonicalJson } from '@kyc-ledger/api';

/**
 * sha256 (hex) of the RFC 8785 canonical JSON of a value: independent of key order and of how
 * the JSON was formatted, so any implementation can recompute it from the stored content.
 * Node's own SHA-256, as for attestation ids: the chaincode then needs no second copy of
 * @noble/hashes beside the one @kyc-ledger/crypto brings.
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
