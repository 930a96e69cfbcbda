import type { Role } from '@kyc-ledger/api';
import type { LedgerClient } from './fabricClient';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';

interface MemberRef {
  mspId?: unknown;
  roles?: unknown;
}

/**
 * Refuses an org the consortium has never registered with `role` with 404 NOT_FOUND (`no such
 * <role>`), before the request reaches a peer, whose answer for an unknown org (a collection that
 * does not exist, no peers to endorse) is internal text that must not reach the client. A
 * suspended member still passes: its records stay readable and erasable.
 */
export async function requireMemberRole(ledger: LedgerClient, mspId: string, role: Role): Promise<void> {
  const members = (await ledger.evaluate<MemberRef[] | null>(F.REGISTRY_LIST_MEMBERS, [])) ?? [];
  const known = members.some((m) => m.mspId === mspId && Array.isArray(m.roles) && m.roles.includes(role));
  if (!known) throw new GatewayError(G.NOT_FOUND, `no such ${role}: ${mspId}`, { details: { [role]: mspId } });
}
