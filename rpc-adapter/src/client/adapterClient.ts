import * as grpc from '@grpc/grpc-js';
import { ADAPTER_SERVICE_NAME, adapterService, loadAdapterDefinition } from '../grpc/protoDefinition';
import type * as M from '../grpc/messages';

/** How a client reaches the adapter: its address, the server's CA, and an org's client certificate. */
export interface AdapterClientOptions {
  /** host:port */
  address: string;
  /** PEM of the CA that issued the adapter's TLS server certificate. */
  serverCaPem: string | Buffer;
  /** PEM of a client certificate issued by a member org's MSP CA, and its key. */
  certPem: string | Buffer;
  keyPem: string | Buffer;
  /** The name the server certificate is checked against when it differs from the address's host. */
  serverName?: string;
  /** Per-call deadline, ms (default 10 s). */
  timeoutMs?: number;
}

/** Promise-based calls of the adapter's service (for tools, status pages and tests). */
export interface AdapterClient {
  /** The raw client (e.g. for WatchChanges streams). */
  readonly raw: grpc.Client & Record<string, (...args: unknown[]) => unknown>;
  health(service?: string): Promise<'SERVING' | 'NOT_SERVING' | 'UNKNOWN' | 'SERVICE_UNKNOWN'>;
  listLinks(asset?: string): Promise<M.ListLinksResponse>;
  getSyncStatus(linkId: string): Promise<M.SyncStatusMessage>;
  getAddress(asset: string, address: string): Promise<M.AddressStatus>;
  watchChanges(request: M.WatchChangesRequest): grpc.ClientReadableStream<M.WatchChangesResponse>;
  close(): void;
}

/** A client of the RegistryAdapter and health services over mutual TLS. */
export function createAdapterClient(options: AdapterClientOptions): AdapterClient {
  const definition = loadAdapterDefinition();
  const credentials = grpc.credentials.createSsl(Buffer.from(options.serverCaPem), Buffer.from(options.keyPem), Buffer.from(options.certPem));
  const channelOptions = options.serverName ? { 'grpc.ssl_target_name_override': options.serverName } : {};
  const Adapter = adapterService(definition);
  const raw = new Adapter(options.address, credentials, channelOptions) as AdapterClient['raw'];
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } } };
  // One channel for both services.
  const health = new loaded.grpc.health.v1.Health(options.address, credentials, { ...channelOptions, channelOverride: raw.getChannel() }) as grpc.Client &
    Record<string, (...args: unknown[]) => unknown>;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const unary = <Req, Res>(client: AdapterClient['raw'], method: string, request: Req): Promise<Res> =>
    new Promise((resolve, reject) => {
      (client[method] as (r: Req, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: Res) => void) => void).call(
        client,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error, response) => (error ? reject(error) : resolve(response)),
      );
    });
  return {
    raw,
    async health(service = ADAPTER_SERVICE_NAME) {
      const answer = await unary<{ service: string }, { status: string }>(health, 'Check', { service });
      return answer.status as Awaited<ReturnType<AdapterClient['health']>>;
    },
    listLinks: (asset = '') => unary(raw, 'ListLinks', { asset }),
    getSyncStatus: (linkId) => unary(raw, 'GetSyncStatus', { linkId }),
    getAddress: (asset, address) => unary(raw, 'GetAddress', { asset, address }),
    watchChanges: (request) => (raw.WatchChanges as (r: M.WatchChangesRequest) => grpc.ClientReadableStream<M.WatchChangesResponse>).call(raw, request),
    close() {
      health.close();
      raw.close();
    },
  };
}
