import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from '../canonicalJson';

/**
 * sha256 (hex) of the RFC 8785 canonical JSON of a value: independent of key order and of how
 * the JSON was formatted, so any implementation can recompute it from the stored content.
 */
export function contentHash(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value))));
}
