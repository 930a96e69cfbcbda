import type { z } from 'zod';
import type { MemberRole } from './gatewayConfig';
import type { RequestContext } from './requestContext';

/**
 * Who may call a route: anyone, holders of an API key of one role (`admin`: the org's governance
 * keys), or `anyKey`: every valid key of this gateway, whatever its role.
 */
export type RouteAccess = 'public' | 'anyKey' | MemberRole | 'admin';

/** A JSON answer. */
export interface JsonReply {
  status?: number;
  body: unknown;
  /** Sent as `x-transaction-id` and logged. */
  transactionId?: string;
}

/** A non-JSON answer (metrics text). */
export interface RawReply {
  status?: number;
  raw: string;
  contentType: string;
}

/** Writes server-sent events to one client. */
export interface EventStreamSink {
  /** One event: `event: <name>` and its data as one line of JSON. */
  event(name: string, data: unknown): void;
  /** A comment line (clients ignore it): keeps proxies and idle timers from closing the stream. */
  comment(text: string): void;
}

/**
 * A `text/event-stream` answer (server-sent events). The headers are sent at once; `stream` writes
 * events until it returns, then the answer ends. `signal` aborts when the client goes away or the
 * gateway shuts down; `stream` must then return promptly.
 */
export interface StreamReply {
  stream(sink: EventStreamSink, signal: AbortSignal): Promise<void>;
}

/** What a route handler answers. */
export type RouteReply = JsonReply | RawReply | StreamReply;

/** One documented success answer. */
export interface ResponseDoc {
  status: number;
  description: string;
  /** A schema registered with `named`; absent only for answers that are not JSON. */
  schema?: z.ZodType;
  contentType?: string;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The validated input of a handler. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  context: RequestContext;
}

/**
 * Everything about one endpoint: express registers it from this, validation uses its schemas and
 * the OpenAPI document is generated from it, so the three cannot drift apart.
 */
export interface RouteSpec<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined> {
  operationId: string;
  method: 'get' | 'post';
  /** Express path syntax (`/v1/attestations/:id/revoke`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: RouteAccess;
  params?: P;
  query?: Q;
  /** A JSON body schema registered with `named`; routes with a body accept only `application/json`. */
  body?: B;
  /**
   * The body as the OpenAPI document describes it, when the handler checks the body itself (to
   * answer its own error code) and `body` therefore accepts more than is valid. Registered with `named`.
   */
  documentedBody?: z.ZodType;
  /** Largest accepted body in bytes (default {@link DEFAULT_BODY_LIMIT}). */
  bodyLimit?: number;
  responses: readonly ResponseDoc[];
  /** Error statuses the ledger can cause besides the generic ones (documented only). */
  errorStatuses?: readonly number[];
  handler(input: RouteInput<Parsed<P>, Parsed<Q>, Parsed<B>>): Promise<RouteReply>;
}

/** A route with its types erased, as the app registers it. */
export type RouteDefinition = RouteSpec<z.ZodObject | undefined, z.ZodObject | undefined, z.ZodType | undefined>;

/** Default body limit: one attestation with room to spare. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Declares a route; the handler's input is typed from the schemas. */
export function defineRoute<P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteDefinition {
  return spec as unknown as RouteDefinition;
}

/** True for a reply that is not JSON. */
export function isRawReply(reply: RouteReply): reply is RawReply {
  return 'raw' in reply;
}

/** True for a server-sent events answer. */
export function isStreamReply(reply: RouteReply): reply is StreamReply {
  return 'stream' in reply;
}

/** Media type of {@link StreamReply} answers, as the OpenAPI document names it. */
export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream';
