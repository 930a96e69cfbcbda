import { canonicalize } from 'json-canonicalize';
import { z } from 'zod';
import type { LedgerClient } from './fabricClient';
import { InvestorErasureResultSchema } from './issuerResponseSchemas';
import { InvestorIdSchema, MspIdSchema } from './issuerSchemas';
import { LedgerFunctions as F } from './ledgerFunctions';
import { requireMemberRole } from './requireMemberRole';
import { defineRoute, type RouteDefinition } from './routeDefinition';

const TAG = 'investor records (certifier)';

const IssuerInvestorParamsSchema = z.strictObject({ issuer: MspIdSchema, id: InvestorIdSchema });

/**
 * The certifier's side of the investor records it shares with an issuer: erasure, so a person's
 * attributes and the personal inputs of the issuer's recorded decisions can be purged whoever of
 * the two is asked first. The investor collection's endorsement policy names the issuer's peer, so
 * the proposal goes there; that peer runs the chaincode, which checks that the caller is the
 * record's certifier.
 */
export function certifierInvestorRoutes(ledger: LedgerClient, mspId: string): RouteDefinition[] {
  return [
    defineRoute({
      operationId: 'eraseInvestorAsCertifier',
      method: 'post',
      path: '/v1/investors/:issuer/:id/erase',
      tag: TAG,
      summary: 'Erase an investor record this certifier shares with an issuer, and the personal inputs of its recorded decisions (purge)',
      access: 'certifier',
      params: IssuerInvestorParamsSchema,
      responses: [{ status: 200, description: 'purged from every member peer', schema: InvestorErasureResultSchema }],
      errorStatuses: [403, 404, 409, 410, 502, 503],
      async handler({ params }) {
        // An unknown issuer has no peer to endorse and no collection shared with this certifier.
        await requireMemberRole(ledger, params.issuer, 'issuer');
        const ref = canonicalize({ issuer: params.issuer, certifier: mspId, id: params.id });
        const { result, transactionId } = await ledger.submit<unknown>(F.INVESTOR_ERASE, [ref], { endorsingOrganizations: [params.issuer] });
        return { body: { transactionId, result }, transactionId };
      },
    }),
  ];
}
