/** The header that carries a gateway API key (as the gateway's registerRoutes names it). */
export const API_KEY_HEADER = 'x-api-key';

/** An answer of the gateway that is not 2xx, with the problem's code (RFC 9457 body). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A gateway's HTTP API as the pages use it. */
export interface ApiClient {
  readonly baseUrl: string;
  get<T>(path: string, init?: { signal?: AbortSignal }): Promise<T>;
  post<T>(path: string, body: unknown, init?: { signal?: AbortSignal }): Promise<T>;
  /** The raw response of a GET (for streams); throws {@link ApiError} when it is not 2xx. */
  open(path: string, init?: { signal?: AbortSignal; accept?: string }): Promise<Response>;
}

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Default: the origin that served the page. */
  baseUrl?: string;
  /** Sent as {@link API_KEY_HEADER} when present. */
  apiKey?: string;
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not a problem document (a proxy's page, say): the status alone tells.
  }
  const code = typeof body['code'] === 'string' ? body['code'] : `HTTP_${response.status}`;
  const message = typeof body['detail'] === 'string' ? body['detail'] : typeof body['title'] === 'string' ? body['title'] : response.statusText || `HTTP ${response.status}`;
  return new ApiError(response.status, code, message, body['details']);
}

/** A client of one gateway. Every failure is an {@link ApiError} (network failures: code NETWORK). */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = (options.baseUrl ?? location.origin).replace(/\/$/, '');
  const headers = (extra: Record<string, string>): Record<string, string> => ({ ...extra, ...(options.apiKey ? { [API_KEY_HEADER]: options.apiKey } : {}) });
  async function send(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, init);
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'NETWORK', `${baseUrl} could not be reached`);
    }
    if (!response.ok) throw await problemOf(response);
    return response;
  }
  return {
    baseUrl,
    async get<T>(path: string, init: { signal?: AbortSignal } = {}) {
      return (await (await send(path, { headers: headers({ accept: 'application/json' }), signal: init.signal ?? null })).json()) as T;
    },
    async post<T>(path: string, body: unknown, init: { signal?: AbortSignal } = {}) {
      const response = await send(path, { method: 'POST', headers: headers({ accept: 'application/json', 'content-type': 'application/json' }), body: JSON.stringify(body), signal: init.signal ?? null });
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
    open(path: string, init: { signal?: AbortSignal; accept?: string } = {}) {
      return send(path, { headers: headers({ accept: init.accept ?? 'text/event-stream' }), signal: init.signal ?? null });
    },
  };
}
