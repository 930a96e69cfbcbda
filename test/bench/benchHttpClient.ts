import http from 'node:http';

/** An answer: status and parsed JSON body. */
export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * A keep-alive HTTP/1.1 client for the bench, on node:http with a pool as large as the requests
 * in flight, so neither the pool nor the client's own CPU (it is measured as its own kind) caps
 * a level: node:http costs less per request than fetch.
 */
export class BenchHttpClient {
  readonly #agent: http.Agent;

  constructor(readonly baseUrl: string, maxSockets: number) {
    // Idle sockets are dropped before the gateway's own keep-alive timeout (5 s) closes them.
    this.#agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 4_000 });
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown, apiKey?: string): Promise<JsonReply> {
    try {
      return await this.#send(method, path, body, apiKey);
    } catch (error) {
      // A kept-alive socket the server closed just as it was reused: the request never reached
      // the server, so sending it again is safe (Node.js's documented remedy).
      if ((error as { reusedSocket?: boolean }).reusedSocket && (error as { code?: string }).code === 'ECONNRESET') return this.#send(method, path, body, apiKey);
      throw error;
    }
  }

  #send(method: 'GET' | 'POST', path: string, body?: unknown, apiKey?: string): Promise<JsonReply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const url = new URL(path, this.baseUrl);
    return new Promise((resolve, reject) => {
      const req = http.request({
        agent: this.#agent, method, hostname: url.hostname, port: url.port, path: url.pathname,
        headers: {
          ...(payload && { 'content-type': 'application/json', 'content-length': payload.length }),
          ...(apiKey && { 'x-api-key': apiKey }),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            // An error without a body is Node.js's own (a 400 or 408 the server sent before the app saw
            // the request): a transport failure, coded like one.
            if (text.length === 0 && (res.statusCode ?? 0) >= 400) reject(Object.assign(new Error(`${method} ${path}: ${res.statusCode} without a body (${JSON.stringify(res.headers)})`), { code: `HTTP_${res.statusCode}_NO_BODY` }));
            else resolve({ status: res.statusCode ?? 0, body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {} });
          } catch (cause) {
            reject(new Error(`${method} ${path}: answer ${res.statusCode} is not JSON: ${text.slice(0, 200)}`, { cause }));
          }
        });
        res.on('error', reject);
      });
      req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
