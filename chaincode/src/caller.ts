import type { Context } from 'fabric-contract-api';

/** Who is calling, as far as the chaincode can tell from the transaction's creator. */
export interface Caller {
  mspId: string;
  /** x509::subject::issuer, unique within the MSP. */
  id: string;
  /** True when the certificate carries the `admin` node OU (cryptogen/fabric-ca with node OUs on). */
  isAdmin: boolean;
}

export function callerOf(ctx: Context): Caller {
  const id = ctx.clientIdentity.getID();
  const subject = id.split('::')[1] ?? '';
  return { mspId: ctx.clientIdentity.getMSPID(), id, isAdmin: /(^|\/)OU=admin(\/|$)/.test(subject) };
}
