import type { z } from 'zod';
import { parseAccountId, type AccountId } from './caip10.js';
import { bitcoinNetwork } from './bitcoinAddress.js';
import { isCryptoError } from './cryptoError.js';
import { SCHEMES_BY_NAMESPACE, SignatureEnvelopeSchema, isSignatureScheme, type SignatureScheme } from './signatureEnvelope.js';
import { checkStatementRules, statementBytes, validateStatement, type Statement, type StatementExpectation } from './statement.js';
import { recoverBitcoinMessageSigner } from './signatures/bip137.js';
import { recoverPersonalMessageSigner } from './signatures/eip191.js';
import { recoverStatementTypedDataSigner } from './signatures/eip712Statement.js';
import { verifyEd25519 } from './signatures/ed25519.js';
import { fail, VerifyFailureReasons, type VerifyFailureReason, type VerifyResult } from './signatures/verifyResult.js';
import { verifyWebAuthn, type WebAuthnExpectation } from './signatures/webauthn.js';

/** What the verifier requires beyond a valid signature. */
export interface VerifyExpectation extends StatementExpectation {
  webauthn?: WebAuthnExpectation;
}

const STATEMENT_REASONS: readonly string[] = [
  VerifyFailureReasons.INVALID_STATEMENT,
  VerifyFailureReasons.INVALID_ADDRESS,
  VerifyFailureReasons.CHAIN_MISMATCH,
  VerifyFailureReasons.NETWORK_MISMATCH,
  VerifyFailureReasons.PURPOSE_MISMATCH,
];

/**
 * Verifies that `envelope` is a signature by `statement.address` over `statement`. Both
 * arguments are taken as untrusted input: a malformed statement or envelope is a failed result,
 * never an exception. On success returns the normalised signer address.
 */
export function verifyStatementSignature(statement: unknown, envelope: unknown, expect: VerifyExpectation = {}): VerifyResult {
  let stmt: Statement;
  try {
    stmt = validateStatement(statement, expect);
  } catch (e) {
    return statementFailure(e);
  }
  const env = SignatureEnvelopeSchema.safeParse(envelope);
  if (!env.success) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'signature envelope is malformed');
  return verifyParsedSignature(stmt, env.data, expect);
}

/** A statement check's CryptoError as a failed result; anything else is rethrown. */
function statementFailure(e: unknown): VerifyResult {
  if (isCryptoError(e) && STATEMENT_REASONS.includes(e.code)) return fail(e.code as VerifyFailureReason, e.message);
  throw e;
}

/**
 * {@link verifyStatementSignature} for a statement already parsed with {@link StatementSchema} and
 * an envelope already parsed with {@link SignatureEnvelopeSchema} (a bank checks both as part of
 * the wallet's submission): the same result without parsing them again. `message` may pass in
 * {@link statementBytes} of the statement when the caller needs them too.
 */
export function verifyParsedSignature(
  stmt: Statement,
  envelope: z.infer<typeof SignatureEnvelopeSchema>,
  expect: VerifyExpectation = {},
  message?: Uint8Array,
): VerifyResult {
  try {
    checkStatementRules(stmt, expect);
  } catch (e) {
    return statementFailure(e);
  }
  const { scheme, signature, webauthn } = envelope;
  const account = parseAccountId(stmt.address);
  if (!isSignatureScheme(scheme) || !SCHEMES_BY_NAMESPACE[account.namespace].includes(scheme)) {
    return fail(VerifyFailureReasons.UNSUPPORTED_SCHEME, `scheme ${scheme} cannot sign for ${account.namespace} addresses`);
  }
  if (webauthn && scheme !== 'p256-webauthn') {
    return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, `scheme ${scheme} takes no webauthn data`);
  }
  const result = verifyScheme(scheme, stmt, account, signature, webauthn, expect, message ?? statementBytes(stmt));
  if (!result.ok) return result;
  if (result.address !== account.address) {
    return fail(VerifyFailureReasons.SIGNATURE_MISMATCH, 'signature was made by another key than the statement address');
  }
  return { ok: true, address: account.accountId };
}

function verifyScheme(
  scheme: SignatureScheme,
  stmt: Statement,
  account: AccountId,
  signature: string,
  webauthn: { authenticatorData: string; clientDataJSON: string } | undefined,
  expect: VerifyExpectation,
  message: Uint8Array,
): VerifyResult {
  switch (scheme) {
    case 'eip191':
      return recoverPersonalMessageSigner(message, signature);
    case 'eip712':
      return recoverStatementTypedDataSigner(stmt, signature);
    case 'bip137':
      return recoverBitcoinMessageSigner(message, signature, bitcoinNetwork(account.reference));
    case 'ed25519': {
      const check = verifyEd25519(message, signature, account.publicKey as Uint8Array);
      return check.ok ? { ok: true, address: account.address } : check;
    }
    case 'p256-webauthn': {
      if (!webauthn) return fail(VerifyFailureReasons.INVALID_SIGNATURE_ENCODING, 'p256-webauthn needs authenticatorData and clientDataJSON');
      const check = verifyWebAuthn(message, { ...webauthn, signature }, account.publicKey as Uint8Array, expect.webauthn);
      return check.ok ? { ok: true, address: account.address } : check;
    }
  }
}
