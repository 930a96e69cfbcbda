import { z } from 'zod';
import type { LedgerClient } from './fabricClient';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import type { GatewayMetrics } from './httpMetrics';
import { defineRoute, type RouteDefinition } from './routeDefinition';
import { named } from './schemaRegistry';

const HealthSchema = named('Health', z.object({ status: z.enum(['ok', 'ready']) }));
const OpenApiDocumentSchema = named('OpenApiDocument', z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
}), 'This document (OpenAPI 3.1; the specification defines the rest of its structure)');

/** What the operational routes need. */
export interface OperationsDependencies {
  ledger: LedgerClient;
  metrics: GatewayMetrics;
  /** The OpenAPI document, built once all routes are known. */
  openApiDocument: () => unknown;
  /** How long /readyz waits for the ledger. */
  readinessTimeoutMs: number;
}

const TAG = 'operations';

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new GatewayError(G.UPSTREAM_UNAVAILABLE, `the ledger did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Liveness, readiness, metrics and the API description. */
export function operationsRoutes(deps: OperationsDependencies): RouteDefinition[] {
  return [
    defineRoute({
      operationId: 'livez',
      method: 'get',
      path: '/livez',
      tag: TAG,
      summary: 'The process is up',
      access: 'public',
      responses: [{ status: 200, description: 'up', schema: HealthSchema }],
      async handler() {
        return { body: { status: 'ok' } };
      },
    }),
    defineRoute({
      operationId: 'readyz',
      method: 'get',
      path: '/readyz',
      tag: TAG,
      summary: 'The org\'s peer and the chaincode answer (probe:ping)',
      access: 'public',
      responses: [{ status: 200, description: 'ready', schema: HealthSchema }],
      errorStatuses: [503],
      async handler() {
        try {
          await withTimeout(deps.ledger.ping(), deps.readinessTimeoutMs);
        } catch (error) {
          throw new GatewayError(G.UPSTREAM_UNAVAILABLE, 'the ledger is not reachable', { cause: error });
        }
        return { body: { status: 'ready' } };
      },
    }),
    defineRoute({
      operationId: 'metrics',
      method: 'get',
      path: '/metrics',
      tag: TAG,
      summary: 'Prometheus metrics',
      access: 'public',
      responses: [{ status: 200, description: 'metrics in the Prometheus text format', contentType: 'text/plain' }],
      async handler() {
        return { raw: await deps.metrics.registry.metrics(), contentType: deps.metrics.registry.contentType };
      },
    }),
    defineRoute({
      operationId: 'openApi',
      method: 'get',
      path: '/openapi.json',
      tag: TAG,
      summary: 'This API\'s OpenAPI 3.1 document',
      access: 'public',
      responses: [{ status: 200, description: 'the document', schema: OpenApiDocumentSchema }],
      async handler() {
        return { body: deps.openApiDocument() };
      },
    }),
  ];
}
