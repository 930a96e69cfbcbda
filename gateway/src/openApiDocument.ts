import { z } from 'zod';
import { ERROR_TABLE } from './errorTable';
import { PROBLEM_CONTENT_TYPE } from './problemDetails';
import { API_KEY_HEADER } from './registerRoutes';
import type { RouteDefinition } from './routeDefinition';
import { schemaRegistry } from './schemaRegistry';

/** Document-level facts of the OpenAPI document. */
export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  /** Base URL clients use (the configured public base URL). */
  serverUrl?: string;
}

type JsonObject = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/** Express `/a/:id/b` to OpenAPI `/a/{id}/b`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

// JSON Schema keywords that are noise inside an OpenAPI document.
function clean(schema: JsonObject): JsonObject {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function ref(schema: z.ZodType): JsonObject {
  const meta = schemaRegistry.get(schema);
  if (!meta) throw new Error('a request or response schema is not registered with named(); give it a name so the document can refer to it');
  return { $ref: `${COMPONENTS}${meta.id}` };
}

function parameters(location: 'path' | 'query', schema: z.ZodObject | undefined): JsonObject[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, property]) => {
    const json = clean(z.toJSONSchema(property as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonObject);
    const optional = (property as z.ZodType).safeParse(undefined).success;
    const { description, ...rest } = json;
    return { name, in: location, required: location === 'path' || !optional, ...(description ? { description } : {}), schema: rest };
  });
}

function problemResponse(status: number): JsonObject {
  const codes = Object.entries(ERROR_TABLE).filter(([, c]) => c.status === status).map(([code]) => code);
  return {
    description: codes.length > 0 ? `problem with one of the codes ${codes.join(', ')}` : `problem (status ${status})`,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${COMPONENTS}Problem` } } },
  };
}

function errorStatuses(route: RouteDefinition): number[] {
  const statuses = new Set<number>([429, 500, ...(route.errorStatuses ?? [])]);
  if (route.params || route.query || route.body) statuses.add(400);
  if (route.body) [413, 415].forEach((s) => statuses.add(s));
  if (route.access !== 'public') [401, 403].forEach((s) => statuses.add(s));
  return [...statuses].sort((a, b) => a - b);
}

function operation(route: RouteDefinition): JsonObject {
  const responses: JsonObject = {};
  for (const r of route.responses) {
    const contentType = r.contentType ?? 'application/json';
    responses[String(r.status)] = {
      description: r.description,
      ...(r.schema || contentType !== 'application/json' ? { content: { [contentType]: { schema: r.schema ? ref(r.schema) : { type: 'string' } } } } : {}),
    };
  }
  for (const status of errorStatuses(route)) responses[String(status)] = problemResponse(status);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: route.access === 'public' ? [] : [{ apiKey: [] }],
    'x-required-role': route.access,
    parameters: [...parameters('path', route.params), ...parameters('query', route.query)],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(route.documentedBody ?? route.body) } } } } : {}),
    responses,
  };
}

/** Names of the component schemas `value` refers to. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(COMPONENTS)) found.push(item.slice(COMPONENTS.length));
      else refsIn(item, found);
    }
  }
  return found;
}

/**
 * The OpenAPI 3.1 document of `routes`, generated from the same zod schemas that validate the
 * requests. Named schemas become `#/components/schemas/*`.
 */
export function buildOpenApiDocument(routes: readonly RouteDefinition[], info: OpenApiInfo): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  const generated = z.toJSONSchema(schemaRegistry, { io: 'input', unrepresentable: 'any', uri: (id) => `${COMPONENTS}${id}` });
  const all = Object.fromEntries(Object.entries(generated.schemas).map(([id, schema]) => [id, clean(schema as JsonObject)]));
  // Only the schemas these routes reach: a bank gateway's document does not list certifier inputs.
  const schemas: Record<string, JsonObject> = {};
  const pending = refsIn(paths);
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    const schema = all[id];
    if (schemas[id] || !schema) continue;
    schemas[id] = schema;
    pending.push(...refsIn(schema));
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, ...(info.description ? { description: info.description } : {}) },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: {
      schemas,
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: API_KEY_HEADER } },
    },
  };
}
