import { z } from 'zod';
import { named } from './schemaRegistry';

/** A consortium member as the chaincode's registry returns it (documented, not re-validated). */
export const MemberSchema = named(
  'Member',
  z.looseObject({
    mspId: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
  }),
);

export const MemberListSchema = named('MemberList', z.object({ members: z.array(MemberSchema) }));

export const MemberParamsSchema = z.strictObject({
  mspId: z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{0,63}$/, 'must be an MSP ID'),
});

/** A bank's published session-signing certificate (docs/protocol.md, "Bank identity"). */
export const SessionCertificateSchema = named(
  'SessionCertificate',
  z.looseObject({
    mspId: z.string(),
    chain: z.string().describe('PEM: the certificate the bank signs sessions with, then its issuing CA certificate(s)'),
    fingerprint256: z.string().describe('SHA-256 fingerprint of the signer certificate'),
    caFingerprint256: z.string().describe('SHA-256 fingerprint of the last (CA) certificate of the chain: what a wallet pins'),
    validTo: z.string(),
    publishedAt: z.string(),
    txId: z.string().describe('the registry transaction that published it'),
  }),
);
