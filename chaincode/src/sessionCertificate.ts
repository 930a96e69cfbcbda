import { X509Certificate } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { z } from 'zod';
import { ChaincodeError, ErrorCodes } from './errors';

/**
 * A bank's published session-signing certificate, as the registry stores it: the PEM chain
 * (signer first, then the CA certificates up to the bank's MSP CA) and the fingerprints a wallet
 * compares and pins.
 */
export interface SessionCertificate {
  mspId: string;
  /** Signer certificate, then its issuing CA certificate(s), PEM. */
  chain: string;
  /** SHA-256 fingerprint of the signer certificate (X509Certificate#fingerprint256 form). */
  fingerprint256: string;
  /** SHA-256 fingerprint of the last certificate of the chain: the CA a wallet pins. */
  caFingerprint256: string;
  validTo: string;
  publishedAt: string;
  txId: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
/** Leaf plus up to three CA certificates; Fabric MSPs rarely have more than one intermediate. */
const MAX_CHAIN = 4;

export const sessionCertificateInputSchema = z.strictObject({
  certificate: z.string().min(1).max(16_384).describe('PEM: the session signer certificate, then its issuing CA certificate(s)'),
});

function invalid(problem: string): ChaincodeError {
  return new ChaincodeError(ErrorCodes.INVALID_ARGUMENT, 'invalid session certificate', { problems: [`certificate: ${problem}`] });
}

function parse(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw invalid(`${what} is not an X.509 certificate`);
  }
}

function validAt(cert: X509Certificate, t: number): boolean {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return !Number.isNaN(from) && !Number.isNaN(to) && from <= t && t <= to;
}

/**
 * Checks a session certificate chain a bank admin publishes for its own org and returns the
 * record to store. The chaincode cannot read the channel's MSP configuration, so it ties the chain
 * to the bank's MSP through the caller: Fabric has already validated the caller's certificate
 * against the bank's MSP CAs, so a CA certificate in the chain whose key verifies the caller's
 * certificate is that MSP's CA (or intermediate), and the signer must chain up to it. Every
 * endorsing peer runs this same check (the registry's endorsement policy is a majority).
 */
export function checkSessionCertificate(ctx: Context, mspId: string, input: z.output<typeof sessionCertificateInputSchema>, nowMs: number, nowIso: string): SessionCertificate {
  const blocks = input.certificate.match(PEM_BLOCK) ?? [];
  if (blocks.length < 2) throw invalid('give the signer certificate followed by its issuing CA certificate');
  if (blocks.length > MAX_CHAIN) throw invalid(`at most ${MAX_CHAIN} certificates`);
  const chain = blocks.map((b, i) => parse(b, i === 0 ? 'the signer certificate' : `certificate ${i + 1}`));
  const signer = chain[0] as X509Certificate;
  const key = signer.publicKey;
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw invalid('the signer certificate must carry a P-256 key');
  if (signer.ca) throw invalid('the signer certificate must not be a CA certificate');
  if (!validAt(signer, nowMs)) throw invalid(`the signer certificate is not valid at ${nowIso}`);
  for (let i = 1; i < chain.length; i++) {
    const child = chain[i - 1] as X509Certificate;
    const parent = chain[i] as X509Certificate;
    if (!parent.ca || !child.checkIssued(parent) || !child.verify(parent.publicKey)) throw invalid(`certificate ${i} is not issued by certificate ${i + 1}`);
  }
  const caller = parse(Buffer.from(ctx.clientIdentity.getIDBytes()).toString('utf8'), 'the caller certificate');
  if (!chain.slice(1).some((ca) => caller.checkIssued(ca) && caller.verify(ca.publicKey))) {
    throw new ChaincodeError(ErrorCodes.FORBIDDEN, `the chain does not contain the CA of ${mspId} that issued the caller's certificate`, { mspId, callerIssuer: caller.issuer });
  }
  return {
    mspId,
    chain: chain.map((c) => c.toString()).join(''),
    fingerprint256: signer.fingerprint256,
    caFingerprint256: (chain[chain.length - 1] as X509Certificate).fingerprint256,
    validTo: new Date(Date.parse(signer.validTo)).toISOString(),
    publishedAt: nowIso,
    txId: ctx.stub.getTxID(),
  };
}
