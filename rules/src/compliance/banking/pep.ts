import { bankingModule } from '../complianceModule';
import { eddPolicySchema, eddShortfalls } from './enhancedDueDiligence';

export const pepConfigSchema = eddPolicySchema;

export const pep = bankingModule('pep', (config, { investor }, ctx) => {
  if (!investor.pep) return [];
  const unmet = eddShortfalls(config, investor, ctx.atMs);
  return unmet.length === 0 ? [] : [{ name: 'PEP_NOT_ALLOWED', details: { policy: config.policy, unmet } }];
});
