/** Roles each member-org policy names, as memberOrgPolicies (channelConfig.ts) writes them, in configtxlator's spelling. */
const EXPECTED_ROLES: Readonly<Record<string, readonly string[]>> = {
  Readers: ['ADMIN', 'PEER', 'CLIENT'],
  Writers: ['ADMIN', 'CLIENT'],
  Admins: ['ADMIN'],
  Endorsement: ['PEER'],
};

/** Fabric's SignaturePolicy type in a ConfigPolicy. */
const SIGNATURE_POLICY = 1;

interface Identity { principal?: { msp_identifier?: string; role?: string }; principal_classification?: string }
interface SignaturePolicyJson { identities?: Identity[]; rule?: { n_out_of?: { n?: number; rules?: { signed_by?: number }[] } } }
type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

function policyProblems(name: string, entry: unknown, mspId: string): string[] {
  const at = `policies.${name}`;
  if (!isObj(entry) || !isObj(entry['policy'])) return [`${at}: not a policy`];
  const problems: string[] = [];
  if (entry['mod_policy'] !== 'Admins') problems.push(`${at}: mod_policy must be Admins`);
  const policy = entry['policy'];
  if (policy['type'] !== SIGNATURE_POLICY || !isObj(policy['value'])) return [...problems, `${at}: must be a signature policy`];
  const value = policy['value'] as SignaturePolicyJson;
  const identities = value.identities ?? [];
  for (const [i, id] of identities.entries()) {
    if (id.principal_classification !== 'ROLE') problems.push(`${at}: principal ${i} is not a role principal`);
    if (id.principal?.msp_identifier !== mspId) problems.push(`${at}: principal ${i} names ${String(id.principal?.msp_identifier)}, not ${mspId}`);
  }
  const roles = identities.map((id) => id.principal?.role ?? '?').sort();
  const expected = [...(EXPECTED_ROLES[name] ?? [])].sort();
  if (roles.join() !== expected.join()) problems.push(`${at}: roles ${roles.join('|') || '(none)'}, expected ${expected.join('|')}`);
  // 1-of-n over exactly the listed identities, each once: any one of the roles satisfies it.
  const rule = value.rule?.n_out_of;
  const signedBy = (rule?.rules ?? []).map((r) => r.signed_by ?? 0).sort((a, b) => a - b);
  if (rule?.n !== 1 || signedBy.join() !== identities.map((_, i) => i).join()) problems.push(`${at}: rule must be 1-of-n over its principals`);
  return problems;
}

/**
 * Every way an org's channel config group differs from what this consortium admits: exactly the
 * MSP value (named `mspId`, FABRIC type, with root certificates) and the four signature policies
 * Readers/Writers/Admins/Endorsement over that org's own roles, 1-of-n, all modified by its Admins,
 * no subgroups. An empty list means the group may be added.
 */
export function orgGroupProblems(group: unknown, mspId: string): string[] {
  if (!isObj(group)) return ['group: not an object'];
  const problems: string[] = [];
  if (group['mod_policy'] !== 'Admins') problems.push('mod_policy must be Admins');
  if (isObj(group['groups']) ? Object.keys(group['groups']).length > 0 : group['groups'] !== undefined) problems.push('groups: an org has no subgroups');
  const values = isObj(group['values']) ? group['values'] : {};
  for (const name of Object.keys(values)) if (name !== 'MSP') problems.push(`values.${name}: not allowed (only MSP)`);
  const mspValue = values['MSP'];
  const msp = isObj(mspValue) && isObj(mspValue['value']) ? mspValue['value'] : undefined;
  const config = msp && isObj(msp['config']) ? msp['config'] : undefined;
  if (!config) {
    problems.push('values.MSP: missing');
  } else {
    if (msp?.['type'] !== 0 && msp?.['type'] !== undefined) problems.push('values.MSP: must be a FABRIC MSP (type 0)');
    if (config['name'] !== mspId) problems.push(`values.MSP: config name ${String(config['name'])}, not ${mspId}`);
    if (!Array.isArray(config['root_certs']) || config['root_certs'].length === 0) problems.push('values.MSP: no root certificates');
  }
  const policies = isObj(group['policies']) ? group['policies'] : {};
  for (const name of Object.keys(policies)) if (!(name in EXPECTED_ROLES)) problems.push(`policies.${name}: not allowed (only ${Object.keys(EXPECTED_ROLES).join(', ')})`);
  for (const name of Object.keys(EXPECTED_ROLES)) {
    problems.push(...(name in policies ? policyProblems(name, policies[name], mspId) : [`policies.${name}: missing`]));
  }
  return problems;
}
