import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { answerClientError } from './answerClientError';
import { createApp } from './createApp';
import { APP_CLOSING_EVENT } from './eventStream';
import { newFabricLedgerClient, type LedgerClient } from './fabricClient';
import type { GatewayConfig } from './gatewayConfig';
import { createGatewayLogger } from './httpLogger';
import { rpcAdapterConnector } from './rpcAdapterConnector';

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  /** Use this ledger client instead of connecting to the configured peer. */
  ledger?: LedgerClient;
  /** Use this ledger client for governance writes instead of connecting with `adminIdentity`. */
  adminLedger?: LedgerClient;
  logger?: Logger;
}

/** A listening gateway. */
export interface RunningGateway {
  /** `http://host:port` actually bound (the port is real even when 0 was configured). */
  readonly url: string;
  readonly server: http.Server;
  /** Stops accepting requests, finishes open ones, closes the Fabric connection. */
  close(): Promise<void>;
}

/** Connects to the org's peer and serves the API on the configured host and port. */
export async function startGateway(config: GatewayConfig, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createGatewayLogger({ level: config.logLevel, base: { org: config.org.name } });
  const fabric = options.ledger ? undefined : newFabricLedgerClient(config);
  const ledger = options.ledger ?? (fabric as LedgerClient);
  // Governance writes go through a second connection with the org's admin identity; the everyday
  // identity stays a client one, so no other route can act as admin.
  const adminFabric = config.adminIdentity && !options.adminLedger ? newFabricLedgerClient({ ...config, identity: config.adminIdentity }) : undefined;
  const adminLedger = options.adminLedger ?? adminFabric;
  // A bank signs its verification sessions with the same Fabric identity it transacts with.
  const sessionSigner = config.org.role === 'bank'
    ? { certificatePem: readFileSync(config.identity.certPath, 'utf8'), privateKeyPem: readFileSync(config.identity.keyPath, 'utf8') }
    : undefined;
  const rpcAdapter = config.rpcAdapter && { connect: rpcAdapterConnector(config.rpcAdapter, config.identity) };
  const app = createApp({ config, ledger, logger, ...(sessionSigner && { sessionSigner }), ...(adminLedger && { adminLedger }), ...(rpcAdapter && { rpcAdapter }) });
  const server = http.createServer(app);
  // Slow clients cannot hold connections open forever; bulk requests get two minutes.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.listen.port, config.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    fabric?.close();
    adminFabric?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url, org: config.org.name, mspId: config.org.mspId, role: config.org.role, peer: config.peer.endpoint }, 'gateway listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          fabric?.close();
          adminFabric?.close();
          logger.info('gateway stopped');
          resolve();
        });
        server.closeIdleConnections();
        // Event streams would otherwise hold the close up until their sessions end.
        app.emit(APP_CLOSING_EVENT);
      })),
  };
}
