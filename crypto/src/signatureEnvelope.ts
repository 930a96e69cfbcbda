import { z } from 'zod';
import { Namespaces, type Namespace } from './caip10.js';

/** Signature schemes a statement can be signed with. */
export const SignatureSchemes = {
  EIP191: 'eip191',
  EIP712: 'eip712',
  ED25519: 'ed25519',
  P256_WEBAUTHN: 'p256-webauthn',
  BIP137: 'bip137',
} as const;

/** One of {@link SignatureSchemes}. */
export type SignatureScheme = (typeof SignatureSchemes)[keyof typeof SignatureSchemes];

/** Which schemes prove control of an address of each namespace. */
export const SCHEMES_BY_NAMESPACE: Readonly<Record<Namespace, readonly SignatureScheme[]>> = {
  [Namespaces.EIP155]: [SignatureSchemes.EIP191, SignatureSchemes.EIP712],
  [Namespaces.BIP122]: [SignatureSchemes.BIP137],
  [Namespaces.SOLANA]: [SignatureSchemes.ED25519],
  [Namespaces.PASSKEY]: [SignatureSchemes.P256_WEBAUTHN],
};

/**
 * A signature as transported next to its statement. `signature` is `0x` hex (eip191, eip712),
 * plain hex (ed25519), base64url DER (p256-webauthn) or base64 (bip137).
 */
export interface SignatureEnvelope {
  scheme: SignatureScheme;
  signature: string;
  webauthn?: {
    /** base64url */
    authenticatorData: string;
    /** base64url */
    clientDataJSON: string;
  };
}

/** Structural schema of an envelope; the scheme is checked separately to report UNSUPPORTED_SCHEME. */
export const SignatureEnvelopeSchema = z.strictObject({
  scheme: z.string(),
  signature: z.string().min(1).max(4096),
  webauthn: z
    .strictObject({
      authenticatorData: z.string().min(1).max(4096),
      clientDataJSON: z.string().min(1).max(8192),
    })
    .optional(),
});

/** True for a known scheme name. */
export function isSignatureScheme(value: string): value is SignatureScheme {
  return (Object.values(SignatureSchemes) as string[]).includes(value);
}
