import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalize } from 'json-canonicalize';
import { bytesToHex, utf8ToBytes } from './bytes.js';
import { parseAccountId } from './caip10.js';
import { Purposes, STATEMENT_DOMAIN, STATEMENT_VERSION, sortedUnique, validateStatement, type StatementOf } from './statement.js';

/**
 * The id the chaincode gives an attestation: sha256 of the canonical JSON (RFC 8785) of
 * `{certifier, subject, commitmentRoot}`, hex. A wallet knows it before the certifier registers.
 */
export function attestationIdOf(certifier: string, subject: string, commitmentRoot: string): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalize({ certifier, subject, commitmentRoot }))));
}

/**
 * The `attestation-request` statement "the holder of `address` asks `certifier` to attest these
 * claim topics for this commitment root", validated; the one both wallets (the CLI and the web
 * page) sign. Claim topics are sorted and deduplicated, as the statement requires.
 */
export function attestationRequestStatement(opts: {
  address: string;
  network: string;
  certifier: string;
  claimTopics: readonly string[];
  commitmentRoot: string;
}): StatementOf<'attestation-request'> {
  return validateStatement({
    domain: STATEMENT_DOMAIN,
    version: STATEMENT_VERSION,
    purpose: Purposes.ATTESTATION_REQUEST,
    network: opts.network,
    chain: parseAccountId(opts.address).chainId,
    address: opts.address,
    certifier: opts.certifier,
    claimTopics: sortedUnique(opts.claimTopics),
    commitmentRoot: opts.commitmentRoot,
  }) as StatementOf<'attestation-request'>;
}
