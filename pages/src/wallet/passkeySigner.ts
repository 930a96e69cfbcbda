import { base64urlnopad } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { accountIdFromPublicKey } from '@kyc-ledger/crypto/dist/keys.js';
import { buildAuthenticatorData, buildClientDataJSON, FLAG_USER_PRESENT, FLAG_USER_VERIFIED, webauthnChallenge } from '@kyc-ledger/crypto/dist/signatures/webauthnData.js';
import type { SignatureEnvelope } from '@kyc-ledger/crypto/dist/signatureEnvelope.js';
import { statementBytes, validateStatement, type Statement } from '@kyc-ledger/crypto/dist/statement.js';
import { compressP256, p1363ToDer } from './p256Encoding';

/** authenticatorData flags: user present (the person pressed the button) and verified (passphrase). */
const FLAGS_UP_UV = FLAG_USER_PRESENT | FLAG_USER_VERIFIED;

/** The person's key as the wallet keeps it: the private half cannot leave WebCrypto. */
export interface PasskeyIdentity {
  privateKey: CryptoKey;
  /** Compressed SEC1 public key, hex. */
  publicKey: string;
  /** `passkey:p256:<base58 compressed key>`, the project's p256 account. */
  accountId: string;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A new ECDSA P-256 key whose private half is NOT extractable (the browser signs with it but no
 * script can read it, as with a passkey), and its account id.
 */
export async function createPasskey(): Promise<PasskeyIdentity> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const compressed = compressP256(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
  return { privateKey: pair.privateKey, publicKey: hex(compressed), accountId: accountIdFromPublicKey('p256', compressed) };
}

/** Where the signatures say they were made: this page's origin and host, as a browser's passkey would. */
export interface SigningContext {
  origin: string;
  rpId: string;
}

/**
 * Signs a statement with the `p256-webauthn` scheme exactly as an authenticator would:
 * authenticatorData = sha256(rpId) ‖ flags ‖ signCount 0, clientDataJSON with the challenge
 * base64url(sha256(statement bytes)), ECDSA over authenticatorData ‖ sha256(clientDataJSON),
 * DER-encoded. The statement must name the identity's account.
 */
export async function signWithPasskey(statement: Statement, identity: PasskeyIdentity, context: SigningContext): Promise<SignatureEnvelope> {
  const stmt = validateStatement(statement);
  if (stmt.address !== identity.accountId) throw new Error(`statement address ${stmt.address} is not this wallet's account`);
  const authenticatorData = buildAuthenticatorData(context.rpId, FLAGS_UP_UV, 0);
  const clientBytes = new TextEncoder().encode(buildClientDataJSON(webauthnChallenge(statementBytes(stmt)), context.origin));
  const signed = new Uint8Array(authenticatorData.length + 32);
  signed.set(authenticatorData, 0);
  signed.set(sha256(clientBytes), authenticatorData.length);
  const p1363 = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, identity.privateKey, signed));
  return {
    scheme: 'p256-webauthn',
    signature: base64urlnopad.encode(p1363ToDer(p1363)),
    webauthn: { authenticatorData: base64urlnopad.encode(authenticatorData), clientDataJSON: base64urlnopad.encode(clientBytes) },
  };
}
