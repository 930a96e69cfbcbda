import { verify } from 'node:crypto';
import { bankSessionSigningBytes, type BankSession, type PreparedBankSessionSigner } from '@kyc-ledger/crypto';
import { GatewayError, GatewayErrorCodes } from './gatewayError';

/** What a gateway instance knows of its own bank, to recognise the sessions any of its instances signed. */
export interface OwnBank {
  mspId: string;
  /** `<consortium>/<channel>`. */
  network: string;
  identity: PreparedBankSessionSigner;
}

/**
 * Accepts a session that the wallet sent back with its submission, when this instance did not
 * create it: another instance of the same bank's gateway did (on this machine or another). The
 * session proves itself: it must name this bank and network and be signed by this bank's own
 * identity (the certificate every instance signs with). Its expiry, and whether the consent
 * answers it, are checked with the rest of the submission. Sessions of another bank are unknown
 * here (404); one that names this bank but is not signed by its identity is refused (422).
 */
export function sessionFromSubmission(session: BankSession, own: OwnBank): BankSession {
  if (session.bank.mspId !== own.mspId || session.network !== own.network) {
    throw new GatewayError(GatewayErrorCodes.NOT_FOUND, 'no such session at this bank');
  }
  // Same identity: compare the certificate as sessions carry it (normalised PEM), then the signature.
  if (session.signer.certificate !== own.identity.certificatePem) {
    throw new GatewayError(GatewayErrorCodes.INVALID_SIGNATURE, 'the session is not signed with this bank\'s identity', { details: { reason: 'SESSION_SIGNER_UNTRUSTED' } });
  }
  const ok = verify('sha256', bankSessionSigningBytes(session), { key: own.identity.certificate.publicKey, dsaEncoding: 'der' }, Buffer.from(session.signature, 'base64'));
  if (!ok) throw new GatewayError(GatewayErrorCodes.INVALID_SIGNATURE, 'the session\'s signature does not verify', { details: { reason: 'SESSION_SIGNATURE_INVALID' } });
  return session;
}
