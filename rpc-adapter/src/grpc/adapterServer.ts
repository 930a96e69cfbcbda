import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { adapterService, ADAPTER_SERVICE_NAME, loadAdapterDefinition, loadReflectionDefinition } from './protoDefinition';
import { createAdapterHandlers, type AdapterServiceDeps } from './adapterService';

/** The server's TLS identity. */
export interface ServerTls {
  certPem: string;
  keyPem: string;
}

/** A running adapter server. */
export interface AdapterServer {
  /** The port it listens on (the one asked for, or the one the OS chose for 0). */
  port: number;
  /** Health of the adapter service (and the server as a whole, service ''). */
  health: HealthImplementation;
  /** Stops taking calls and ends open streams after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the gRPC server on `host:port`: the RegistryAdapter service, `grpc.health.v1.Health` and
 * server reflection, all behind mutual TLS whose client roots are the member orgs' MSP CAs.
 */
export async function startAdapterServer(deps: AdapterServiceDeps, tls: ServerTls, host: string, port: number): Promise<AdapterServer> {
  const definition = loadAdapterDefinition();
  const server = new grpc.Server();
  server.addService(adapterService(definition).service, createAdapterHandlers(deps));
  const health = new HealthImplementation({ '': 'SERVING', [ADAPTER_SERVICE_NAME]: 'SERVING' });
  health.addToServer(server);
  new ReflectionService(loadReflectionDefinition()).addToServer(server);

  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(deps.orgs.rootCertsPem),
    [{ cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) }],
    true,
  );
  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  deps.logger.info({ host, port: boundPort }, 'rpc adapter listening');

  return {
    port: boundPort,
    health,
    async stop(graceMs = 2000) {
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(ADAPTER_SERVICE_NAME, 'NOT_SERVING');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
