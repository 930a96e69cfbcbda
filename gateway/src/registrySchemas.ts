import { z } from 'zod';
import { MemberSchema } from './ledgerResponseSchemas';
import { named } from './schemaRegistry';

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
