import { z } from 'zod';
import { accountSchema, approvalsSchema, assetIdSchema, registrationInputSchema, type Registration } from './investorModel';

/** Most actions one `registration:batch` transaction takes. */
export const MAX_REGISTRY_BATCH = 100;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

/**
 * One action of a `registration:batch`: the input of the single registry transaction of the same
 * name, without the asset (the batch names it once).
 */
export const registryActionSchema = z.discriminatedUnion('action', [
  registrationInputSchema.omit({ asset: true }).extend({ action: z.literal('register'), approvals: approvalsSchema }),
  z.strictObject({ action: z.literal('deregister'), address: accountSchema }),
  z.strictObject({ action: z.literal('freeze'), address: accountSchema }),
  z.strictObject({ action: z.literal('unfreeze'), address: accountSchema, approvals: approvalsSchema }),
  z.strictObject({ action: z.literal('recover'), from: accountSchema, to: accountSchema, attestationId: hex64, approvals: approvalsSchema }),
]);

/** One action of a registry batch; see {@link registryActionSchema}. */
export type RegistryAction = z.output<typeof registryActionSchema>;

/** What `registration:batch` takes: one asset and its actions, applied in order. Each action is validated on its own. */
export const registryBatchInputSchema = z.strictObject({
  asset: assetIdSchema,
  actions: z.array(z.unknown()).min(1).max(MAX_REGISTRY_BATCH),
});

/** What `registration:changes` takes. */
export const registryChangesQuerySchema = z.strictObject({
  asset: assetIdSchema,
  fromSeq: z.number().int().min(1),
  limit: z.number().int().min(1).max(1000),
});

/**
 * One action's outcome, in input order: the registration it wrote and the registry sequence
 * numbers it took, or its own coded error (it then wrote nothing).
 */
export type RegistryActionOutcome =
  | { ok: true; registration: Registration; seqs: number[] }
  | { ok: false; code: string; message: string; details?: unknown };

/**
 * What `registration:batch` answers. When no action succeeds the transaction fails instead, with
 * the first action's code and every outcome in its details (`{ results }`).
 */
export interface RegistryBatchResult {
  asset: string;
  applied: number;
  results: RegistryActionOutcome[];
}
