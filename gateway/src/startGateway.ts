import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { createApp } from './createApp';
import { newFabricLedgerClient, type LedgerClient } from './fabricClient';
import type { GatewayConfig } from './gatewayConfig';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import { createGatewayLogger } from './httpLogger';
import { PROBLEM_CONTENT_TYPE, toProblemDetails } from './problemDetails';

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  /** Use this ledger client instead of connecting to the configured peer. */
  ledger?: LedgerClient;
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

/**
 * Errors node's HTTP parser raises before express sees the request (oversize headers, garbage)
 * still get a problem answer.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const gatewayError = tooLarge
    ? new GatewayError(G.HEADERS_TOO_LARGE, 'the request headers are too large')
    : new GatewayError(G.INVALID_ARGUMENT, 'the request is not valid HTTP');
  const problem = JSON.stringify(toProblemDetails(gatewayError, 'none'));
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(problem)}\r\nconnection: close\r\n\r\n${problem}`,
  );
}

/** Connects to the org's peer and serves the API on the configured host and port. */
export async function startGateway(config: GatewayConfig, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createGatewayLogger({ level: config.logLevel, base: { org: config.org.name } });
  const fabric = options.ledger ? undefined : newFabricLedgerClient(config);
  const ledger = options.ledger ?? (fabric as LedgerClient);
  // A bank signs its verification sessions with the same Fabric identity it transacts with.
  const sessionSigner = config.org.role === 'bank'
    ? { certificatePem: readFileSync(config.identity.certPath, 'utf8'), privateKeyPem: readFileSync(config.identity.keyPath, 'utf8') }
    : undefined;
  const app = createApp({ config, ledger, logger, ...(sessionSigner && { sessionSigner }) });
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
          logger.info('gateway stopped');
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
