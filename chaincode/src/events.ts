/** Names of the chaincode events; clients subscribe by these, so they never change meaning. */
export const Events = {
  PROBE_VALUE_SET: 'ProbeValueSet',
} as const;
