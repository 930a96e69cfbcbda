import { structuralModule, type Finding } from '../complianceModule';

/**
 * Person-level rules need the investor record (held in a private data collection); a party
 * without one fails here once, and the rules that need it skip that party.
 */
export const investorRecord = structuralModule('investorRecord', ({ input }) => {
  const findings: Finding[] = [];
  if (input.from && !input.from.investor) findings.push({ name: 'INVESTOR_RECORD_MISSING', party: 'from', details: { address: input.from.address } });
  if (!input.to.investor) findings.push({ name: 'INVESTOR_RECORD_MISSING', party: 'to', details: { address: input.to.address } });
  return findings;
});
