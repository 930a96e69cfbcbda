import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { bytesToHex, concatBytes, utf8ToBytes } from './bytes.js';
import { parseAccountId } from './caip10.js';
import { importKey, type Key, type KeyKind } from './keys.js';
import type { SignatureScheme } from './signatureEnvelope.js';
import { signStatement } from './signStatement.js';
import { statementBytes, statementDigest, type Statement } from './statement.js';
import { bitcoinMessageDigest } from './signatures/bip137.js';
import { personalMessageDigest } from './signatures/eip191.js';
import { statementTypedData, statementTypedDataDigest } from './signatures/eip712Statement.js';

/** Deterministic test private key of a kind: sha256("kyc-ledger:vector-key:" ‖ kind). Test data only. */
export function vectorKey(kind: KeyKind): Key {
  return importKey(kind, bytesToHex(sha256(utf8ToBytes(`kyc-ledger:vector-key:${kind}`))));
}

const NETWORK = 'kyc-ledger/kyc';
const ROOT = bytesToHex(sha256(utf8ToBytes('kyc-ledger:vector-root')));

function base(key: Key): Pick<Statement, 'domain' | 'version' | 'network' | 'chain' | 'address'> {
  return { domain: 'kyc-ledger', version: 1, network: NETWORK, chain: parseAccountId(key.accountId).chainId, address: key.accountId };
}

function statementFor(scheme: string, key: Key): Statement {
  switch (scheme) {
    case 'eip191':
      return {
        ...base(key),
        purpose: 'consent',
        sessionId: 'sess-0001',
        bank: 'Bank1MSP',
        fields: ['birthDate', 'nationality'],
        attestationId: 'att-0001',
        expiresAt: '2030-01-01T00:00:00Z',
      };
    case 'ed25519':
      return {
        ...base(key),
        purpose: 'key-rotation',
        oldAddress: key.accountId,
        newAddress: vectorKey('secp256k1').accountId,
        attestationId: 'att-0002',
      };
    case 'p256-webauthn':
      return {
        ...base(key),
        purpose: 'session',
        sessionId: 'sess-0002',
        bank: 'Bank2MSP',
        fields: ['familyName', 'givenName'],
        expiresAt: '2030-01-01T00:05:00.000Z',
      };
    case 'bip137-p2pkh':
      return { ...base(key), purpose: 'officer-approval', asset: 'bond-2030', registrationDigest: ROOT };
    default:
      return {
        ...base(key),
        purpose: 'attestation-request',
        certifier: 'CertifierMSP',
        claimTopics: ['kyc.basic', 'kyc.identity'],
        commitmentRoot: ROOT,
        issuedFor: 'case-42',
      };
  }
}

const CASES: { name: string; kind: KeyKind; scheme: SignatureScheme }[] = [
  { name: 'eip191', kind: 'secp256k1', scheme: 'eip191' },
  { name: 'eip712', kind: 'secp256k1', scheme: 'eip712' },
  { name: 'ed25519', kind: 'ed25519', scheme: 'ed25519' },
  { name: 'p256-webauthn', kind: 'p256', scheme: 'p256-webauthn' },
  { name: 'bip137-p2wpkh', kind: 'bitcoin-p2wpkh', scheme: 'bip137' },
  { name: 'bip137-p2pkh', kind: 'bitcoin-p2pkh', scheme: 'bip137' },
];

/** The digest each scheme's ECDSA signs (absent for ed25519, which signs the message itself). */
function signedDigest(scheme: SignatureScheme, statement: Statement, webauthn?: { authenticatorData: string; clientDataJSON: string }): string | undefined {
  const message = statementBytes(statement);
  switch (scheme) {
    case 'eip191':
      return bytesToHex(personalMessageDigest(message));
    case 'eip712':
      return bytesToHex(statementTypedDataDigest(statement));
    case 'bip137':
      return bytesToHex(bitcoinMessageDigest(message));
    case 'p256-webauthn': {
      const w = webauthn as { authenticatorData: string; clientDataJSON: string };
      const signed = concatBytes(base64urlnopad.decode(w.authenticatorData), sha256(base64urlnopad.decode(w.clientDataJSON)));
      return bytesToHex(sha256(signed));
    }
    case 'ed25519':
      return undefined;
  }
}

/** Deterministic signature vectors, one per scheme (and per BIP-137 address type). */
export function buildSignatureVectors(): unknown {
  const vectors = CASES.map((c) => {
    const key = vectorKey(c.kind);
    const statement = statementFor(c.name, key);
    const envelope = signStatement(statement, key, c.scheme);
    const extra: Record<string, unknown> = {};
    if (c.scheme === 'eip712') extra['typedData'] = statementTypedData(statement);
    if (c.scheme === 'p256-webauthn') {
      extra['clientDataJSONText'] = new TextDecoder().decode(base64urlnopad.decode(envelope.webauthn?.clientDataJSON ?? ''));
    }
    return {
      name: c.name,
      scheme: c.scheme,
      key: { kind: key.kind, privateKey: key.privateKey, publicKey: key.publicKey, accountId: key.accountId },
      statement,
      statementJson: new TextDecoder().decode(statementBytes(statement)),
      statementDigest: statementDigest(statement),
      signedDigest: signedDigest(c.scheme, statement, envelope.webauthn),
      ...extra,
      envelope,
    };
  });
  return {
    description: 'kyc-ledger signature vectors; layouts in test/vectors/README.md. Regenerate with: node crypto/dist/generateVectors.js',
    keyDerivation: 'privateKey = sha256(utf8("kyc-ledger:vector-key:" + kind)) (test data only)',
    vectors,
  };
}
