import { canonicalize } from 'json-canonicalize';

/**
 * Canonical JSON (RFC 8785): every peer writes byte-identical state for the same object, and
 * hashes over state are reproducible by any other implementation.
 */
export function canonicalJson(value: unknown): string {
  return canonicalize(value);
}
