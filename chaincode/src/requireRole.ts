import type { Context } from 'fabric-contract-api';
import { callerOf, type Caller } from './caller';
import { ChaincodeError, ErrorCodes } from './errors';
import type { Accreditation, Member, Role } from './registryModel';
import { readJson, ObjectTypes } from './state';

// Kept apart from registryContract.ts (which loads fabric-contract-api's decorators) so that code
// run outside a peer, such as the issuer gateway's transfer checks, can use the same access rules.

export async function activeMember(ctx: Context, mspId: string): Promise<Member | undefined> {
  const member = await readJson<Member>(ctx, ObjectTypes.MEMBER, mspId);
  return member?.status === 'active' ? member : undefined;
}

/** Fails with FORBIDDEN unless the caller's org is an active member holding `role`. */
export async function requireRole(ctx: Context, role: Role): Promise<Caller> {
  const caller = callerOf(ctx);
  checkRole(caller, await readJson<Member>(ctx, ObjectTypes.MEMBER, caller.mspId), role);
  return caller;
}

/** {@link requireRole} on the caller's already read member record. */
export function checkRole(caller: Caller, member: Member | undefined, role: Role): void {
  if (member?.status !== 'active' || !member.roles.includes(role)) {
    throw new ChaincodeError(ErrorCodes.FORBIDDEN, `${caller.mspId} does not hold the ${role} role`, { mspId: caller.mspId, role });
  }
}

export async function readAccreditation(ctx: Context, certifier: string): Promise<Accreditation | undefined> {
  return readJson<Accreditation>(ctx, ObjectTypes.ACCREDITATION, certifier);
}
