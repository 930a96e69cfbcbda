import { X509Certificate } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { ChaincodeError, ErrorCodes } from './errors';

/** Who is calling, as far as the chaincode can tell from the transaction's creator. */
export interface Caller {
  mspId: string;
  /** x509::subject::issuer, unique within the MSP. */
  id: string;
  /** True when the certificate carries the `admin` node OU (cryptogen/fabric-ca with node OUs on). */
  isAdmin: boolean;
}

/** The node OU Fabric's MSP (NodeOUs enabled, as cryptogen and fabric-ca set it up) gives admins. */
const ADMIN_OU = 'admin';

export function callerOf(ctx: Context): Caller {
  const identity = ctx.clientIdentity;
  let admin: boolean | undefined;
  return {
    mspId: identity.getMSPID(),
    id: identity.getID(),
    // Parsed on first use: only governance transactions ask, and most transactions never do.
    get isAdmin() {
      admin ??= organizationalUnits(identity.getIDBytes()).includes(ADMIN_OU);
      return admin;
    },
  };
}

/**
 * The subject's OU attribute values, read from the parsed certificate. Never from the DN string
 * of `getID()`: fabric-shim escapes only the first `/` of each value there, so a common name such
 * as `x/y/OU=admin` would read as an OU.
 */
export function organizationalUnits(certificate: Uint8Array): string[] {
  let subject: Record<string, string | string[] | undefined>;
  try {
    // toLegacyObject parses the subject's RDNs one attribute at a time (no string splitting).
    subject = new X509Certificate(Buffer.from(certificate)).toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>;
  } catch (cause) {
    throw new ChaincodeError(ErrorCodes.FORBIDDEN, 'the caller has no X.509 certificate', { cause: String((cause as Error)?.message ?? cause).slice(0, 200) });
  }
  const ou = subject.OU;
  return ou === undefined ? [] : Array.isArray(ou) ? ou : [ou];
}
