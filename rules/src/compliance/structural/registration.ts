import { structuralModule, type Finding } from '../complianceModule';

/** Both ends must be authenticated addresses for the asset; issuance has no sender to check. */
export const registration = structuralModule('registration', ({ input }) => {
  const findings: Finding[] = [];
  if (input.from && !input.from.registered) findings.push({ name: 'SENDER_NOT_REGISTERED', party: 'from', details: { address: input.from.address } });
  if (!input.to.registered) findings.push({ name: 'RECIPIENT_NOT_REGISTERED', party: 'to', details: { address: input.to.address } });
  return findings;
});
