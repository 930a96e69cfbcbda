import { base64urlnopad } from '@scure/base';
import { parseAccountId } from './caip10.js';
import { decodeHex, utf8ToBytes } from './bytes.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';
import { KEY_KINDS, type Key } from './keys.js';
import type { SignatureEnvelope, SignatureScheme } from './signatureEnvelope.js';
import { statementBytes, validateStatement, type Statement } from './statement.js';
import { signBitcoinMessage } from './signatures/bip137.js';
import { signPersonalMessage } from './signatures/eip191.js';
import { signStatementTypedData } from './signatures/eip712Statement.js';
import { signEd25519 } from './signatures/ed25519.js';
import {
  buildAuthenticatorData,
  buildClientDataJSON,
  DEFAULT_ORIGIN,
  DEFAULT_RP_ID,
  FLAG_USER_PRESENT,
  FLAG_USER_VERIFIED,
  signWebAuthn,
  webauthnChallenge,
} from './signatures/webauthn.js';

/** Options of {@link signStatement}; only p256-webauthn has any. */
export interface SignOptions {
  webauthn?: { rpId?: string; origin?: string; signCount?: number; flags?: number };
}

/**
 * Wallet side: signs a statement with `key` and returns the envelope to send with it. The
 * statement is validated first and must name `key`'s account, so a wallet never signs something
 * the verifier would reject. Deterministic for every scheme (RFC 6979 / RFC 8032).
 */
export function signStatement(statement: Statement, key: Key, scheme: SignatureScheme = key.defaultScheme, opts: SignOptions = {}): SignatureEnvelope {
  const stmt = validateStatement(statement);
  if (stmt.address !== key.accountId) {
    throw new CryptoError(CryptoErrorCodes.KEY_MISMATCH, `statement address ${stmt.address} is not the key's account ${key.accountId}`);
  }
  const info = KEY_KINDS[key.kind];
  if (!info.schemes.includes(scheme)) {
    throw new CryptoError(CryptoErrorCodes.UNSUPPORTED_SCHEME, `a ${key.kind} key cannot sign with ${scheme}`, { supported: info.schemes });
  }
  const privateKey = decodeHex(key.privateKey, 'private key', 32);
  const message = statementBytes(stmt);
  switch (scheme) {
    case 'eip191':
      return { scheme, signature: signPersonalMessage(message, privateKey) };
    case 'eip712':
      return { scheme, signature: signStatementTypedData(stmt, privateKey) };
    case 'ed25519':
      return { scheme, signature: signEd25519(message, privateKey) };
    case 'bip137': {
      const account = parseAccountId(stmt.address);
      return { scheme, signature: signBitcoinMessage(message, privateKey, account.bitcoinType ?? 'p2wpkh') };
    }
    case 'p256-webauthn': {
      const w = opts.webauthn ?? {};
      const authData = buildAuthenticatorData(w.rpId ?? DEFAULT_RP_ID, w.flags ?? FLAG_USER_PRESENT | FLAG_USER_VERIFIED, w.signCount ?? 0);
      const clientDataJSON = buildClientDataJSON(webauthnChallenge(message), w.origin ?? DEFAULT_ORIGIN);
      return {
        scheme,
        signature: base64urlnopad.encode(signWebAuthn(authData, clientDataJSON, privateKey)),
        webauthn: {
          authenticatorData: base64urlnopad.encode(authData),
          clientDataJSON: base64urlnopad.encode(utf8ToBytes(clientDataJSON)),
        },
      };
    }
  }
}
