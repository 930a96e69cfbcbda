import { z } from 'zod';

/** Metadata of a named schema: its name under `#/components/schemas` in the OpenAPI document. */
export interface SchemaMeta {
  id: string;
  description?: string;
}

/**
 * The request and response schemas the OpenAPI document names. A private registry (not zod's
 * global one) so nothing outside the gateway can add to the document.
 */
export const schemaRegistry = z.registry<SchemaMeta>();

const byId = new Map<string, z.ZodType>();

/**
 * Registers `schema` under `id` and returns it, so a schema is named where it is declared. One
 * name, one schema: a second schema under a taken name would silently replace the first in the
 * document, so it throws.
 */
export function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  const taken = byId.get(id);
  if (taken !== undefined && taken !== schema) throw new Error(`two schemas are named ${id}`);
  byId.set(id, schema);
  schemaRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

/** The schema named `id` (the name under `#/components/schemas`), e.g. to check an answer against the document. */
export function namedSchema(id: string): z.ZodType | undefined {
  return byId.get(id);
}
