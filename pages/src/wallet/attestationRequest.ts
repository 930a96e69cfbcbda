import { attestationIdOf, attestationRequestStatement } from '@kyc-ledger/crypto/dist/attestationRequestStatement.js';
import type { SignatureEnvelope } from '@kyc-ledger/crypto/dist/signatureEnvelope.js';
import type { StatementOf } from '@kyc-ledger/crypto/dist/statement.js';

/** What the certifier needs from the person (the Node wallet's AttestationRequest, same fields). */
export interface AttestationRequest {
  subject: string;
  commitmentRoot: string;
  fieldNames: string[];
  claimTopics: string[];
  subjectSignature: SignatureEnvelope;
}

/** The request, the id the attestation will get, and who and where it was asked for. */
export interface AttestationRequestResult {
  request: AttestationRequest;
  attestationId: string;
  certifier: string;
  network: string;
}

/**
 * Builds and signs the `attestation-request` statement exactly as the Node wallet's
 * requestAttestation does (same statement, same attestation id), with `sign` the page's key.
 */
export async function buildAttestationRequest(
  opts: { accountId: string; certifier: string; network: string; claimTopics: readonly string[]; commitmentRoot: string; fieldNames: readonly string[] },
  sign: (statement: StatementOf<'attestation-request'>) => Promise<SignatureEnvelope>,
): Promise<AttestationRequestResult> {
  if (opts.claimTopics.length === 0) throw new Error('at least one claim topic is required');
  const statement = attestationRequestStatement({ address: opts.accountId, network: opts.network, certifier: opts.certifier, claimTopics: opts.claimTopics, commitmentRoot: opts.commitmentRoot });
  const claimTopics = statement.claimTopics;
  const subjectSignature = await sign(statement);
  return {
    request: { subject: opts.accountId, commitmentRoot: opts.commitmentRoot, fieldNames: [...opts.fieldNames].sort(), claimTopics, subjectSignature },
    attestationId: attestationIdOf(opts.certifier, opts.accountId, opts.commitmentRoot),
    certifier: opts.certifier,
    network: opts.network,
  };
}
