import type { LedgerClient } from './fabricClient';
import { requireMemberRole } from './requireMemberRole';

/**
 * Refuses a certifier the consortium has never registered with 404 NOT_FOUND: such a certifier
 * shares no collection with the issuer (see {@link requireMemberRole}).
 */
export async function requireCertifier(ledger: LedgerClient, certifier: string): Promise<void> {
  await requireMemberRole(ledger, certifier, 'certifier');
}
