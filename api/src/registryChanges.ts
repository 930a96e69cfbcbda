import { z } from 'zod';

/**
 * What one change does to an asset's authenticated-address registry, as an institution's private
 * chain must mirror it. A registration is `authenticate`; a deregistration `revoke`; a recovery is
 * `revoke` of the old address then `authenticate` (and `freeze`, when the old one was frozen) of
 * the new one; freezing an address or the whole asset has its own ops.
 */
export const RegistryOps = {
  AUTHENTICATE: 'authenticate',
  REVOKE: 'revoke',
  FREEZE: 'freeze',
  UNFREEZE: 'unfreeze',
  FREEZE_ASSET: 'freezeAsset',
  UNFREEZE_ASSET: 'unfreezeAsset',
} as const;

/** One of {@link RegistryOps}. */
export type RegistryOp = (typeof RegistryOps)[keyof typeof RegistryOps];

const ops = Object.values(RegistryOps) as [RegistryOp, ...RegistryOp[]];

/**
 * One change of an asset's registry. `seq` is gapless per asset, from 1, assigned by the chaincode
 * in commit order; Fabric blocks never fork, so a committed sequence is final. `address` is the
 * CAIP-10 account id as the ledger normalised it, or '' for the asset-wide ops.
 */
export const registryChangeSchema = z.strictObject({
  asset: z.string(),
  seq: z.number().int().positive(),
  op: z.enum(ops),
  address: z.string(),
  txId: z.string(),
  /** The transaction's timestamp (ISO 8601). */
  at: z.string(),
});

/** One change of an asset's registry; see {@link registryChangeSchema}. */
export type RegistryChange = z.infer<typeof registryChangeSchema>;

/** What `registration:changes` answers: changes `fromSeq`.. (at most `limit`), and the asset's last seq. */
export const registryChangesPageSchema = z.strictObject({
  asset: z.string(),
  /** The newest sequence number the asset has (0: no change yet). */
  head: z.number().int().nonnegative(),
  changes: z.array(registryChangeSchema),
});

/** A page of registry changes; see {@link registryChangesPageSchema}. */
export type RegistryChangesPage = z.infer<typeof registryChangesPageSchema>;
