import { structuralModule, type Finding } from '../complianceModule';

export const frozen = structuralModule('frozen', ({ input }) => {
  const findings: Finding[] = [];
  if (input.asset.frozen) findings.push({ name: 'ASSET_FROZEN', party: 'asset', details: { asset: input.asset.id } });
  if (input.from?.frozen) findings.push({ name: 'SENDER_FROZEN', party: 'from', details: { address: input.from.address } });
  if (input.to.frozen) findings.push({ name: 'RECIPIENT_FROZEN', party: 'to', details: { address: input.to.address } });
  return findings;
});
