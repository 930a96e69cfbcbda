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
  reason: 'NOT_AN_OFFICER' | 'DUPLICATE_OFFICER' | 'INVALID_SIGNATURE' | 'INVALID_OFFICER' | 'STALE_APPROVAL';
  message: string;
}

/** How many earlier states of an action a failed signature is tried against to tell "stale". */
const STALE_LOOKBACK = 8;

/** The same action as it stood `back` changes earlier (its nonce or set version lower), if any. */
function earlierState(action: ApprovedAction, back: number): ApprovedAction | undefined {
  if (action.action === 'changeOfficers') return action.version - back >= 1 ? { ...action, version: action.version - back } : undefined;
  return action.nonce - back >= 0 ? { ...action, nonce: action.nonce - back } : undefined;
}

/**
 * Counts the approvals of `action` (signatures over its {@link approvalDigest}) by distinct current
 * officers and fails with APPROVALS_INSUFFICIENT, listing every rejected signature, unless at least
 * the threshold remain. A signature that verifies over an earlier nonce of the same action is
 * reported as STALE_APPROVAL (the officer approved a state that has changed since), not as a bad
 * signature, so the officer re-signs instead of looking for a wrong key. Returns the approving
 * officers, sorted.
 */
export function requireApprovals(set: OfficerSet, action: ApprovedAction, approvals: readonly Approval[], network: string): string[] {
  const asset = action.asset;
  const digest = approvalDigest(action);
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
    const signs = (signed: string) => {
      const statement = {
        domain: STATEMENT_DOMAIN,
        version: STATEMENT_VERSION,
        purpose: Purposes.OFFICER_APPROVAL,
        network,
        chain: parseAccountId(officer).chainId,
        address: officer,
        asset,
        registrationDigest: signed,
      };
      return verifyStatementSignature(statement, approval.signature, { network, purpose: Purposes.OFFICER_APPROVAL });
    };
    const result = signs(digest);
    if (!result.ok) {
      const stale = staleState(action, (earlier) => signs(approvalDigest(earlier)).ok);
      rejected.push(
        stale
          ? { index, officer, reason: 'STALE_APPROVAL', message: `signed over an earlier state of this action (${stale}); the state has changed since: sign the current digest ${digest}` }
          : { index, officer, reason: 'INVALID_SIGNATURE', message: `${result.reason}: ${result.message}` },
      );
      return;
    }
    accepted.add(officer);
  });
  if (accepted.size < set.threshold) {
    const stale = rejected.filter((r) => r.reason === 'STALE_APPROVAL').length;
    const note = stale > 0 ? `; ${stale} approval${stale === 1 ? ' was' : 's were'} signed over an earlier state (stale): re-sign the current digest` : '';
    throw new ChaincodeError(ErrorCodes.APPROVALS_INSUFFICIENT, `${accepted.size} valid approvals of ${set.threshold} required${note}`, {
      digest,
      threshold: set.threshold,
      valid: accepted.size,
      rejected,
    });
  }
  return [...accepted].sort();
}

/** `nonce N` or `officer set version N` of the earlier state the signature verifies over, if any. */
function staleState(action: ApprovedAction, verifies: (earlier: ApprovedAction) => boolean): string | undefined {
  for (let back = 1; back <= STALE_LOOKBACK; back++) {
    const earlier = earlierState(action, back);
    if (!earlier) return undefined;
    if (verifies(earlier)) return earlier.action === 'changeOfficers' ? `officer set version ${earlier.version}` : `nonce ${earlier.nonce}`;
  }
  return undefined;
}
