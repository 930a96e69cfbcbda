/** An org's channel config group shaped as `configtxgen -printOrg` prints it (configtxlator JSON). */
export function orgGroupJson(mspId: string, roles: Record<string, string[]> = { Readers: ['ADMIN', 'PEER', 'CLIENT'], Writers: ['ADMIN', 'CLIENT'], Admins: ['ADMIN'], Endorsement: ['PEER'] }) {
  const signature = (names: string[]) => ({
    mod_policy: 'Admins',
    version: '0',
    policy: {
      type: 1,
      value: {
        identities: names.map((role) => ({ principal: { msp_identifier: mspId, role }, principal_classification: 'ROLE' })),
        rule: { n_out_of: { n: 1, rules: names.map((_, i) => ({ signed_by: i })) } },
        version: 0,
      },
    },
  });
  return {
    groups: {},
    mod_policy: 'Admins',
    version: '0',
    policies: Object.fromEntries(Object.entries(roles).map(([name, r]) => [name, signature(r)])),
    values: {
      MSP: { mod_policy: 'Admins', version: '0', value: { type: 0, config: { name: mspId, root_certs: ['LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t'], tls_root_certs: ['LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t'], admins: [] } } },
    },
  };
}
