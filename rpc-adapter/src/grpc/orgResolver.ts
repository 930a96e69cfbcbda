import { X509Certificate } from 'node:crypto';
import { GatewayErrorCodes, KycError } from '@kyc-ledger/api';

/** A member org the adapter serves: its MSP id and the CA certificates that issue its identities. */
export interface MemberOrg {
  mspId: string;
  /** PEM of each CA certificate of the org's MSP (msp/cacerts). */
  caCertsPem: string[];
}

/**
 * Maps a TLS client certificate to its org: the org whose MSP CA issued it (issuer name matches
 * and the CA's key verifies the signature). The TLS handshake already checked the chain against
 * every org's CA; this says which org.
 */
export class OrgResolver {
  private readonly cas: Array<{ mspId: string; ca: X509Certificate }>;

  constructor(orgs: MemberOrg[]) {
    this.cas = orgs.flatMap((org) => org.caCertsPem.map((pem) => ({ mspId: org.mspId, ca: new X509Certificate(pem) })));
  }

  /** Every CA certificate, PEM, concatenated: the TLS server's trust roots. */
  get rootCertsPem(): string {
    return this.cas.map((c) => c.ca.toString()).join('');
  }

  /** The MSP id of the org that issued `certDer`; UNAUTHENTICATED when none did. */
  orgOf(certDer: Buffer | undefined): string {
    if (!certDer || certDer.length === 0) throw new KycError(GatewayErrorCodes.UNAUTHENTICATED, 'a client certificate is required');
    const cert = new X509Certificate(certDer);
    const match = this.cas.find(({ ca }) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
    if (!match) throw new KycError(GatewayErrorCodes.UNAUTHENTICATED, 'the client certificate was not issued by a member org CA');
    return match.mspId;
  }
}
