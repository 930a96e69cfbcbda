import type { z } from 'zod';
import type { decisionSchema, storedRuleSetSchema } from './ledgerObjectSchemas';

/** A published rule set version: kept forever, identified by the hash of its canonical content. */
export type StoredRuleSet = z.output<typeof storedRuleSetSchema>;

/**
 * A recorded transfer decision (in the issuer's collection): the inputs the engine saw and its
 * verdict, so anyone holding the inputs can replay it with the same engine version.
 */
export type Decision = z.output<typeof decisionSchema>;
