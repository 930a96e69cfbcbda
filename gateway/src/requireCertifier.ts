import type { LedgerClient } from './fabricClient';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import { LedgerFunctions as F } from './ledgerFunctions';

interface MemberRef {
  mspId?: unknown;
  roles?: unknown;
}

/**
 * Refuses a certifier the consortium has never registered with 404 NOT_FOUND. Such a certifier
 * shares no collection with the issuer, and the peer's failure to find one is internal text that
 * must not reach the client. A suspended certifier still passes: its records stay readable and
 * erasable.
 */
export async function requireCertifier(ledger: LedgerClient, certifier: string): Promise<void> {
  const members = (await ledger.evaluate<MemberRef[] | null>(F.REGISTRY_LIST_MEMBERS, [])) ?? [];
  const known = members.some((m) => m.mspId === certifier && Array.isArray(m.roles) && m.roles.includes('certifier'));
  if (!known) throw new GatewayError(G.NOT_FOUND, `no such certifier: ${certifier}`, { details: { certifier } });
}
