import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { requestContext } from './requestContext';

/** The gateway's Prometheus metrics. */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** Records one answered request. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Options of {@link newGatewayMetrics}. */
export interface GatewayMetricsOptions {
  /** Also collect Node.js process metrics (default true). */
  defaultMetrics?: boolean;
  /** Labels added to every metric (org, …). */
  defaultLabels?: Record<string, string>;
}

/** Route label of requests no route matched: keeps scanners from creating a series per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

class PromGatewayMetrics implements GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route' | 'status'>;

  constructor(options: GatewayMetricsOptions) {
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'kyc_gateway_http_requests_total',
      help: 'HTTP requests answered, by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.#duration = new Histogram({
      name: 'kyc_gateway_http_request_duration_seconds',
      help: 'HTTP request latency, by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#requests.inc(labels);
    this.#duration.observe(labels, seconds);
  }
}

/** A fresh metrics registry (one per app, so several apps in one process do not collide). */
export function newGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  return new PromGatewayMetrics(options);
}

// Methods outside this list are counted as OTHER so a client cannot create series at will.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts and times every request once its answer is finished. */
export function metricsMiddleware(metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    const ctx = requestContext(res);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - ctx.startedAt) / 1e9;
      metrics.observeRequest(METHODS.has(req.method) ? req.method : 'OTHER', ctx.route ?? UNMATCHED_ROUTE, res.statusCode, seconds);
    });
    next();
  };
}
