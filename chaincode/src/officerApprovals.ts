import { createHash } from 'node:crypto';
import { normaliseAccountId, parseAccountId, Purposes, STATEMENT_DOMAIN, STATEMENT_VERSION, verifyStatementSignature } from '@kyc-ledger/crypto';
import { canonicalJson } from './canonicalJson';
import { ChaincodeError, ErrorCodes } from './errors';
import type { Approval, OfficerSet } from './investorModel';

/**
 * The actions that take effect only with M-of-N officer signatures. Each names the state it
 * applies to (a nonce or set version), so an approval is spent by the action it approves and can
 * never be replayed on a later state.
 */
export type ApprovedAction =
  | { action: 'register'; asset: string; address: string; investor: string; certifier: string; attestationId: string; nonce: number }
  | { action: 'recover'; asset: string; from: string; to: string; attestationId: string; nonce: number }
  | { action: 'unfreezeAddress'; asset: string; address: string; nonce: number }
  | { action: 'unfreezeAsset'; asset: string; nonce: number }
  | { action: 'changeOfficers'; asset: string; accounts: string[]; threshold: number; version: number };

/** The digest officers sign (as `registrationDigest` of an officer-approval statement). */
export function approvalDigest(action: ApprovedAction): string {
  return createHash('sha256').update(canonicalJson({ domain: 'kyc-ledger/officer-approval', ...action })).digest('hex');
}

export function normaliseAccount(account: string, path: string): string {
  try {
    return normaliseAccountId(account);
  } catch (error) {
    throw new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, `invalid ${path}`, { problems: [`${path}: ${(error as Error).message}`] });
  }
}

/** Why one approval was not counted; reported so officers can see which signature to redo. */
export interface RejectedApproval {
  index: number;
  officer: string;
  reason: 'NOT_AN_OFFICER' | 'DUPLICATE_OFFICER' | 'INVALID_SIGNATURE' | 'INVALID_OFFICER';
  message: string;
}

/**
 * Counts the approvals of `digest` by distinct current officers and fails with
 * APPROVALS_INSUFFICIENT, listing every rejected signature, unless at least the threshold remain.
 * Returns the approving officers, sorted.
 */
export function requireApprovals(set: OfficerSet, asset: string, digest: string, approvals: readonly Approval[], network: string): string[] {
  const accepted = new Set<string>();
  const rejected: RejectedApproval[] = [];
  approvals.forEach((approval, index) => {
    let officer: string;
    try {
      officer = normaliseAccountId(approval.officer);
    } catch (error) {
      rejected.push({ index, officer: approval.officer, reason: 'INVALID_OFFICER', message: (error as Error).message });
      return;
    }
    if (!set.accounts.includes(officer)) {
      rejected.push({ index, officer, reason: 'NOT_AN_OFFICER', message: 'not in the current officer set' });
      return;
    }
    if (accepted.has(officer)) {
      rejected.push({ index, officer, reason: 'DUPLICATE_OFFICER', message: 'this officer has already approved; each officer counts once' });
      return;
    }
    const statement = {
      domain: STATEMENT_DOMAIN,
      version: STATEMENT_VERSION,
      purpose: Purposes.OFFICER_APPROVAL,
      network,
      chain: parseAccountId(officer).chainId,
      address: officer,
      asset,
      registrationDigest: digest,
    };
    const result = verifyStatementSignature(statement, approval.signature, { network, purpose: Purposes.OFFICER_APPROVAL });
    if (!result.ok) {
      rejected.push({ index, officer, reason: 'INVALID_SIGNATURE', message: `${result.reason}: ${result.message}` });
      return;
    }
    accepted.add(officer);
  });
  if (accepted.size < set.threshold) {
    throw new ChaincodeError(ErrorCodes.APPROVALS_INSUFFICIENT, `${accepted.size} valid approvals of ${set.threshold} required`, {
      digest,
      threshold: set.threshold,
      valid: accepted.size,
      rejected,
    });
  }
  return [...accepted].sort();
}
