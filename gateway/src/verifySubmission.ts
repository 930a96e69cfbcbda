import { createHash, randomBytes } from 'node:crypto';
import { checkWalletSubmission, verifyParsedDisclosure } from '@kyc-ledger/crypto';
import { errorClassOf } from './errorTable';
import { GatewayError, GatewayErrorCodes, isGatewayError } from './gatewayError';
import type { AttestationStatus } from '@kyc-ledger/rules';
import type { AttestationView } from './attestationView';
import type { ReceiptInput } from './receiptBatcher';
import type { SessionEntry, Verdict } from './sessionStore';


type Reason = Verdict['reasons'][number];

/**
 * Checks a wallet's submission for one session before anything is consumed. A submission that is
 * malformed, for another session or bank, expired, or not validly signed is refused with its own
 * code and leaves the session open (nobody can burn someone else's session with garbage).
 */
export function preflight(body: unknown, entry: SessionEntry, now: Date) {
  const check = checkWalletSubmission(body, entry.session, { now });
  if (check.ok) return check;
  const code = errorClassOf(check.reason) ? check.reason : GatewayErrorCodes.INVALID_SIGNATURE;
  throw new GatewayError(code, check.message, { details: { reason: check.reason, ...(check.details ? { issues: check.details } : {}) } });
}

/** A verdict before its consent receipt is on the ledger, and that receipt. */
export interface Assessment {
  verdict: Verdict;
  receipt: ReceiptInput;
}

/**
 * The ledger half of verification (the read path): the attestation named by the consent must
 * belong to the signer, be valid now (status, expiry, certifier accreditation and scope, derived by
 * the chaincode), carry the requested claim topics, and its commitment root must match the
 * disclosed values. Every failing reason is reported. Returns the verdict and the consent receipt
 * (hashes only) still to be recorded.
 */
export async function assess(view: AttestationView, entry: SessionEntry, submission: ReturnType<typeof preflight>, now: Date): Promise<Assessment> {
  const { consent, disclosure } = submission.submission;
  const reasons: Reason[] = [];
  let status: AttestationStatus | undefined;
  try {
    status = await view.status(consent.attestationId, now);
  } catch (error) {
    if (!isGatewayError(error, GatewayErrorCodes.NOT_FOUND)) throw error;
    reasons.push({ code: 'ATTESTATION_NOT_FOUND', message: `no attestation ${consent.attestationId} on the ledger` });
  }
  let fields: Record<string, string> | undefined;
  if (status) {
    const attestation = status.attestation;
    if (attestation.subject !== submission.signer) {
      reasons.push({ code: 'SUBJECT_MISMATCH', message: `the attestation belongs to ${attestation.subject}, not to the signer ${submission.signer}` });
    }
    reasons.push(...status.reasons);
    const missing = entry.session.claimTopics.filter((t) => !attestation.claimTopics.includes(t));
    if (missing.length > 0) reasons.push({ code: 'TOPIC_NOT_ATTESTED', message: `the attestation does not cover ${missing.join(', ')}` });
    // preflight parsed the disclosure with the rest of the submission.
    const disclosed = verifyParsedDisclosure(attestation.commitmentRoot, disclosure, entry.session.fields);
    if (disclosed.ok) fields = disclosed.values;
    else reasons.push({ code: disclosed.reason, message: disclosed.message });
  }
  const verified = reasons.length === 0;
  return {
    verdict: {
      verified,
      reasons,
      address: submission.signer,
      attestationId: consent.attestationId,
      ...(status && { certifier: status.attestation.certifier }),
      ...(verified && fields && { fields }),
      decidedAt: now.toISOString(),
    },
    receipt: {
      sessionIdHash: createHash('sha256').update(entry.session.sessionId).digest('hex'),
      subject: submission.signer,
      attestationId: consent.attestationId,
      result: verified ? 'verified' : 'rejected',
      reasons: [...new Set(reasons.map((r) => r.code))],
      // statementDigest(consent), computed from the bytes whose signature preflight checked.
      consentHash: submission.consentDigest,
      // Keeps the receipt's on-chain value hash from confirming a guess (see the chaincode's schema).
      salt: randomBytes(32).toString('hex'),
    },
  };
}
