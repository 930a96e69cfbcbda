import { structuralModule, type Finding } from '../complianceModule';

/** Fail closed: a transfer is never allowed just because no rules were in force at its time. */
export const ruleSetPresence = structuralModule('ruleSetPresence', (ctx) => {
  const findings: Finding[] = [];
  if (!ctx.banking) findings.push({ name: 'NO_RULE_SET', party: 'transfer', details: { kind: 'banking', scope: 'consortium' } });
  if (!ctx.securities) findings.push({ name: 'NO_RULE_SET', party: 'transfer', details: { kind: 'securities', scope: ctx.input.asset.id } });
  return findings;
});
