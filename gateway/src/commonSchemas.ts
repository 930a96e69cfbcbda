import { ISO_3166_ALPHA2, SignatureSchemes, isUtcTimestamp, normaliseAccountId } from '@kyc-ledger/crypto';
import { z } from 'zod';
import { named } from './schemaRegistry';

/** 64 lower-case hex digits (a SHA-256). */
export const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

/** An attestation id: `sha256(canonical({certifier, subject, commitmentRoot}))` in hex. */
export const AttestationIdSchema = Hex64.describe('attestation id (SHA-256, 64 lower-case hex digits)');

/** A UTC timestamp with a real date: `YYYY-MM-DDTHH:MM:SS[.fff]Z`. */
export const UtcTimestampSchema = z
  .string()
  .max(40)
  .refine(isUtcTimestamp, 'must be a UTC timestamp YYYY-MM-DDTHH:MM:SS[.fff]Z')
  .meta({ format: 'date-time', examples: ['2027-01-31T00:00:00Z'] });

// CAIP-10 shape; the crypto core checks the namespace rules and normalises.
const CAIP10 = /^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}:[-.%a-zA-Z0-9]{1,128}$/;

/**
 * A CAIP-10 account id, normalised by the crypto core (EIP-55 case, lower-case bech32, …) so the
 * same account always reaches the chaincode in the same spelling.
 */
export const AccountIdSchema = z
  .string()
  .max(200)
  .regex(CAIP10, 'must be a CAIP-10 account id namespace:reference:address')
  .transform((value, ctx) => {
    try {
      return normaliseAccountId(value);
    } catch (error) {
      ctx.issues.push({ code: 'custom', input: value, message: error instanceof Error ? error.message : 'invalid account id' });
      return z.NEVER;
    }
  })
  .meta({ description: 'CAIP-10 account id', examples: ['eip155:1:0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B'] });

/** ISO 3166-1 alpha-2 country code (officially assigned codes only). */
export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case')
  .refine((code) => ISO_3166_ALPHA2.has(code), 'is not an assigned ISO 3166-1 alpha-2 code');

/** A signature next to the statement it signs (see the crypto core's SignatureEnvelope). */
export const SignatureEnvelopeSchema = named(
  'SignatureEnvelope',
  z.strictObject({
    scheme: z.enum(Object.values(SignatureSchemes) as [string, ...string[]]),
    signature: z.string().min(1).max(4096).describe('0x hex (eip191, eip712), hex (ed25519), base64url DER (p256-webauthn) or base64 (bip137)'),
    webauthn: z
      .strictObject({
        authenticatorData: z.string().min(1).max(4096).describe('base64url'),
        clientDataJSON: z.string().min(1).max(8192).describe('base64url'),
      })
      .optional(),
  }),
  'A signature as transported next to its statement',
);

/** One reason a request failed validation. */
export const ValidationIssueSchema = named(
  'ValidationIssue',
  z.object({
    location: z.enum(['body', 'query', 'params', 'headers']),
    path: z.string(),
    message: z.string(),
  }),
);

/** RFC 9457 problem details, as every error is answered. */
export const ProblemSchema = named(
  'Problem',
  z.looseObject({
    type: z.string().describe('urn:kyc-ledger:error:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string().describe('stable error code, the same from chaincode to HTTP'),
    requestId: z.string(),
    transactionId: z.string().optional().describe('the Fabric transaction, when the failure belongs to one'),
    errors: z.array(ValidationIssueSchema).optional().describe('validation failures (VALIDATION_FAILED)'),
    details: z.unknown().optional().describe('extra information from the chaincode (4xx only)'),
  }),
  'RFC 9457 problem details (application/problem+json)',
);
