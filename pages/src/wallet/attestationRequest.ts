import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalize } from 'json-canonicalize';
import { parseAccountId } from '@kyc-ledger/crypto/dist/caip10.js';
import type { SignatureEnvelope } from '@kyc-ledger/crypto/dist/signatureEnvelope.js';
import { Purposes, STATEMENT_DOMAIN, STATEMENT_VERSION, validateStatement, type StatementOf } from '@kyc-ledger/crypto/dist/statement.js';

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

/** The attestation id the chaincode gives a registration: sha256(JCS({certifier, subject, commitmentRoot})), hex. */
export function expectedAttestationId(certifier: string, subject: string, commitmentRoot: string): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalize({ certifier, subject, commitmentRoot }))));
}

/**
 * Builds and signs the `attestation-request` statement exactly as the Node wallet's
 * requestAttestation does (same statement, same attestation id), with `sign` the page's key.
 */
export async function buildAttestationRequest(
  opts: { accountId: string; certifier: string; network: string; claimTopics: readonly string[]; commitmentRoot: string; fieldNames: readonly string[] },
  sign: (statement: StatementOf<'attestation-request'>) => Promise<SignatureEnvelope>,
): Promise<AttestationRequestResult> {
  const claimTopics = [...new Set(opts.claimTopics)].sort();
  if (claimTopics.length === 0) throw new Error('at least one claim topic is required');
  const statement = validateStatement({
    domain: STATEMENT_DOMAIN,
    version: STATEMENT_VERSION,
    purpose: Purposes.ATTESTATION_REQUEST,
    network: opts.network,
    chain: parseAccountId(opts.accountId).chainId,
    address: opts.accountId,
    certifier: opts.certifier,
    claimTopics,
    commitmentRoot: opts.commitmentRoot,
  }) as StatementOf<'attestation-request'>;
  const subjectSignature = await sign(statement);
  return {
    request: { subject: opts.accountId, commitmentRoot: opts.commitmentRoot, fieldNames: [...opts.fieldNames].sort(), claimTopics, subjectSignature },
    attestationId: expectedAttestationId(opts.certifier, opts.accountId, opts.commitmentRoot),
    certifier: opts.certifier,
    network: opts.network,
  };
}
