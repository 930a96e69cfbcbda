/** One attestation's standing as the public status route answers it (the parts the wallet reads). */
interface StatusEntry {
  id?: unknown;
  valid?: unknown;
  status?: unknown;
  attestation?: { certifier?: unknown };
}

/** Where the person's attestation request stands, as the page says it. */
export type AttestationProgress = { state: 'waiting' } | { state: 'active'; certifier: string } | { state: 'not-valid'; status: string };

/**
 * Reads `GET /v1/public/attestations/:subject/status` for the attestation this wallet asked for:
 * `waiting` until the certifier registered it, then `active` (valid now) or `not-valid` with the
 * chaincode's first failing reason (revoked, expired…). Pure, so it is unit tested in Node.
 */
export function attestationProgress(answer: unknown, attestationId: string): AttestationProgress {
  const list = (answer as { attestations?: unknown } | null)?.attestations;
  const entry = Array.isArray(list) ? (list as StatusEntry[]).find((a) => a?.id === attestationId) : undefined;
  if (!entry) return { state: 'waiting' };
  if (entry.valid === true) return { state: 'active', certifier: typeof entry.attestation?.certifier === 'string' ? entry.attestation.certifier : 'the certifier' };
  return { state: 'not-valid', status: typeof entry.status === 'string' ? entry.status : 'UNKNOWN' };
}
