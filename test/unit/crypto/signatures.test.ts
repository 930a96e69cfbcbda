import { expect } from 'chai';
import {
  importKey,
  signStatement,
  verifyStatementSignature,
  type KeyKind,
  type SignatureEnvelope,
  type SignatureScheme,
  type Statement,
  type VerifyFailureReason,
} from '@kyc-ledger/crypto';
import { loadVectors } from './vectorFiles';

interface SignatureVector {
  name: string;
  scheme: SignatureScheme;
  key: { kind: KeyKind; privateKey: string; accountId: string };
  statement: Statement;
  envelope: SignatureEnvelope;
}

const { vectors } = loadVectors<{ vectors: SignatureVector[] }>('signatures.json');

/** The field whose last character each mutation test flips, per purpose (chosen to stay valid). */
const MUTABLE_FIELD: Record<string, string> = {
  consent: 'attestationId',
  'key-rotation': 'attestationId',
  session: 'sessionId',
  'officer-approval': 'asset',
  'attestation-request': 'issuedFor',
};

/** Another chain of the same namespace, or another namespace for passkey:p256 (its only chain). */
const OTHER_CHAIN: Record<string, string> = {
  eip155: 'eip155:5',
  bip122: 'bip122:000000000933ea01ad0ee984209779ba',
  solana: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
  passkey: 'eip155:1',
};

function decodeSig(scheme: string, s: string): Buffer {
  if (scheme === 'eip191' || scheme === 'eip712') return Buffer.from(s.slice(2), 'hex');
  if (scheme === 'ed25519') return Buffer.from(s, 'hex');
  return Buffer.from(s, scheme === 'bip137' ? 'base64' : 'base64url');
}

function encodeSig(scheme: string, b: Buffer): string {
  if (scheme === 'eip191' || scheme === 'eip712') return `0x${b.toString('hex')}`;
  if (scheme === 'ed25519') return b.toString('hex');
  return b.toString(scheme === 'bip137' ? 'base64' : 'base64url');
}

function flipLastChar(value: string): string {
  return value.slice(0, -1) + String.fromCharCode(value.charCodeAt(value.length - 1) ^ 1);
}

function expectFailure(result: ReturnType<typeof verifyStatementSignature>, reason: VerifyFailureReason): void {
  expect(result.ok, JSON.stringify(result)).to.equal(false);
  if (!result.ok) expect(result.reason, result.message).to.equal(reason);
}

describe('crypto: statement signatures (committed vectors)', () => {
  it('has one vector per scheme', () => {
    expect(new Set(vectors.map((v) => v.scheme))).to.deep.equal(new Set(['eip191', 'eip712', 'ed25519', 'p256-webauthn', 'bip137']));
  });

  for (const v of vectors) {
    describe(v.name, () => {
      const webauthn = v.scheme === 'p256-webauthn';
      const tamperReason: VerifyFailureReason = webauthn ? 'WEBAUTHN_CHALLENGE_MISMATCH' : 'SIGNATURE_MISMATCH';

      it('verifies and names the signer', () => {
        expect(verifyStatementSignature(v.statement, v.envelope)).to.deep.equal({ ok: true, address: v.key.accountId });
      });

      it('verifies with matching expectations', () => {
        const r = verifyStatementSignature(v.statement, v.envelope, { network: 'kyc-ledger/kyc', purpose: v.statement.purpose });
        expect(r.ok).to.equal(true);
      });

      it('fails with SIGNATURE_MISMATCH when one signature bit flips', () => {
        const bytes = decodeSig(v.scheme, v.envelope.signature);
        bytes[5] = (bytes[5] as number) ^ 1;
        expectFailure(verifyStatementSignature(v.statement, { ...v.envelope, signature: encodeSig(v.scheme, bytes) }), 'SIGNATURE_MISMATCH');
      });

      it(`fails with ${tamperReason} when one statement bit flips`, () => {
        const field = MUTABLE_FIELD[v.statement.purpose] as string;
        const record = v.statement as unknown as Record<string, string>;
        const tampered = { ...v.statement, [field]: flipLastChar(record[field] as string) };
        expectFailure(verifyStatementSignature(tampered, v.envelope), tamperReason);
      });

      it(`fails with ${tamperReason} for another network, NETWORK_MISMATCH when the verifier expects its own`, () => {
        expectFailure(verifyStatementSignature({ ...v.statement, network: 'kyc-ledger/other' }, v.envelope), tamperReason);
        expectFailure(verifyStatementSignature(v.statement, v.envelope, { network: 'kyc-ledger/other' }), 'NETWORK_MISMATCH');
      });

      it('fails with CHAIN_MISMATCH when the chain is not the address chain', () => {
        const ns = v.statement.chain.split(':')[0] as string;
        expectFailure(verifyStatementSignature({ ...v.statement, chain: OTHER_CHAIN[ns] }, v.envelope), 'CHAIN_MISMATCH');
      });

      it('fails for another purpose: INVALID_STATEMENT (fields) or PURPOSE_MISMATCH (expectation)', () => {
        const other = v.statement.purpose === 'consent' ? 'session' : 'consent';
        expectFailure(verifyStatementSignature({ ...v.statement, purpose: other }, v.envelope), 'INVALID_STATEMENT');
        expectFailure(verifyStatementSignature(v.statement, v.envelope, { purpose: other }), 'PURPOSE_MISMATCH');
      });

      it('fails with UNSUPPORTED_SCHEME for a scheme of another namespace or an unknown scheme', () => {
        const foreign = v.scheme === 'ed25519' ? 'bip137' : 'ed25519';
        expectFailure(verifyStatementSignature(v.statement, { ...v.envelope, scheme: foreign }), 'UNSUPPORTED_SCHEME');
        expectFailure(verifyStatementSignature(v.statement, { ...v.envelope, scheme: 'bip322' }), 'UNSUPPORTED_SCHEME');
      });

      it('fails with INVALID_SIGNATURE_ENCODING for garbage and never throws', () => {
        expectFailure(verifyStatementSignature(v.statement, { ...v.envelope, signature: 'zz' }), 'INVALID_SIGNATURE_ENCODING');
        expectFailure(verifyStatementSignature(v.statement, null), 'INVALID_SIGNATURE_ENCODING');
        expectFailure(verifyStatementSignature(v.statement, { ...v.envelope, extra: 1 }), 'INVALID_SIGNATURE_ENCODING');
        expectFailure(verifyStatementSignature(null, v.envelope), 'INVALID_STATEMENT');
      });

      it('re-signing the vector statement gives the same envelope (deterministic signing)', () => {
        const key = importKey(v.key.kind, v.key.privateKey, { chain: v.statement.chain });
        expect(signStatement(v.statement, key, v.scheme)).to.deep.equal(v.envelope);
      });
    });
  }
});
