import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { generateKey, parseAccountId, Purposes, signStatement, sortedUnique, statementBytes, STATEMENT_DOMAIN, STATEMENT_VERSION, verifyStatementSignature, type KeyKind, type Statement } from '@kyc-ledger/crypto';
import type { BenchReport } from './benchReport';

const NETWORK = 'kyc-bench/kyc';
const SAMPLES = 400;

function statementFor(accountId: string, i: number): Statement {
  return {
    domain: STATEMENT_DOMAIN, version: STATEMENT_VERSION, purpose: Purposes.ATTESTATION_REQUEST, network: NETWORK,
    chain: parseAccountId(accountId).chainId, address: accountId, certifier: 'Certifier1MSP',
    claimTopics: sortedUnique(['identity']), commitmentRoot: i.toString(16).padStart(64, '0'),
  } as Statement;
}

function perSecond(samples: number, fn: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < samples; i++) fn(i);
  return samples / ((performance.now() - started) / 1000);
}

/**
 * Signature verification per scheme (one core), against OpenSSL's P-256 verify of the same
 * messages as the in-run baseline. Verification is the hot spot of both onboarding (chaincode)
 * and verification (bank gateway).
 */
export function benchSignatures(report: BenchReport): void {
  const baselineKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const messages = Array.from({ length: SAMPLES }, (_, i) => statementBytes(statementFor('eip155:1:0x0000000000000000000000000000000000000001', i)));
  const baselineSigs = messages.map((m) => nodeSign('sha256', m, baselineKey.privateKey));
  const baseline = perSecond(SAMPLES, (i) => {
    if (!nodeVerify('sha256', messages[i] as Uint8Array, baselineKey.publicKey, baselineSigs[i] as Buffer)) throw new Error('baseline failed');
  });
  report.add('verify.baseline.openssl-p256.perSecond', { value: baseline, unit: '1/s', note: 'node:crypto, one core' });
  const schemes: [KeyKind, string][] = [['secp256k1', 'eip191'], ['secp256k1', 'eip712'], ['ed25519', 'ed25519'], ['p256', 'p256-webauthn'], ['bitcoin-p2wpkh', 'bip137']];
  for (const [kind, scheme] of schemes) {
    const key = generateKey(kind);
    const statements = Array.from({ length: SAMPLES }, (_, i) => statementFor(key.accountId, i));
    const envelopes = statements.map((s) => signStatement(s, key, scheme as never));
    const rate = perSecond(SAMPLES, (i) => {
      if (!verifyStatementSignature(statements[i], envelopes[i], { network: NETWORK }).ok) throw new Error(`${scheme} failed`);
    });
    report.add(`verify.signature.${scheme}.perSecond`, { value: rate, unit: '1/s', note: `${(rate / baseline).toFixed(3)} × baseline` });
  }
}
