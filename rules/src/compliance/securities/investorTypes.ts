import { z } from 'zod';
import { entityTypeSchema, investorTypeSchema, uniqueList } from '../commonSchemas';
import { securitiesModule, type Finding } from '../complianceModule';
import { byJurisdiction, entryFor } from './byJurisdiction';
import { accreditationLapsed, effectiveInvestorType } from './effectiveInvestorType';

export const investorTypesConfigSchema = z.strictObject({
  byJurisdiction: byJurisdiction(z.strictObject({
    investorTypes: uniqueList(investorTypeSchema).min(1, 'must allow at least one investor type'),
    /** Absent: every entity type. */
    entityTypes: uniqueList(entityTypeSchema).min(1, 'must allow at least one entity type').optional(),
  }), { requireDefault: true }),
});

export const investorTypes = securitiesModule('investorTypes', (config, { input, atMs }) => {
  const investor = input.to.investor;
  if (!investor) return [];
  const entry = entryFor(config.byJurisdiction, investor.jurisdiction);
  const findings: Finding[] = [];
  const effective = effectiveInvestorType(investor, atMs);
  if (!entry || !entry.investorTypes.includes(effective)) {
    // Saying "expired" rather than "not allowed" tells the investor the fix: renew the accreditation.
    const renewalWouldHelp = accreditationLapsed(investor, atMs) && entry?.investorTypes.includes(investor.investorType);
    findings.push(renewalWouldHelp
      ? { name: 'ACCREDITATION_EXPIRED', party: 'to', details: { investorType: investor.investorType, accreditationExpiresAt: investor.accreditationExpiresAt ?? null } }
      : { name: 'INVESTOR_TYPE_NOT_ALLOWED', party: 'to', details: { jurisdiction: investor.jurisdiction, investorType: effective, allowed: entry?.investorTypes ?? [] } });
  }
  if (entry?.entityTypes && !entry.entityTypes.includes(investor.entityType)) {
    findings.push({ name: 'INVESTOR_TYPE_NOT_ALLOWED', party: 'to', details: { jurisdiction: investor.jurisdiction, entityType: investor.entityType, allowed: entry.entityTypes } });
  }
  return findings;
});
