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

/** Registers `schema` under `id` and returns it, so a schema is named where it is declared. */
export function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  schemaRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}
