import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { NetworkError } from './errors';
import { hostPort } from './hosts/hostAddress';

/** TLS material for a probe that must get through the handshake, not just the TCP accept. */
export interface ProbeTls {
  /**
   * PEM of the CA that signed the server's certificate. Without it the handshake is made without
   * checking the certificate: for a port whose certificate comes from a CA only its node knows (the
   * peer's chaincode listener), where the probe need only prove the server is serving.
   */
  ca?: string | Buffer;
  /** Client certificate and key, for ports that require mutual TLS (the orderer's admin port). */
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** One port a start-up step is about to talk to. */
export interface PortTarget {
  /** The node that owns the port ("orderer0", "peer0.bank1", "gateway.bank1"). */
  node: string;
  /** What the port is for, as the error message names it ("gRPC", "admin", "chaincode"). */
  purpose: string;
  host: string;
  port: number;
  /** With TLS the probe counts only a finished handshake: a Go server that has bound its listener but not yet started serving accepts TCP yet completes no handshake. */
  tls?: ProbeTls;
}

export interface WaitForPortOptions {
  timeoutMs?: number;
  /** Time between probes. */
  intervalMs?: number;
  /** Time one probe may take before it counts as a failed attempt. */
  probeTimeoutMs?: number;
  /** Returns false when the process that should open the port has died: no point waiting on. */
  stillRunning?: () => boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects once; resolves when the port accepts (and, with TLS, finishes a handshake), rejects otherwise. */
export function probePort(target: PortTarget, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tlsConnect({
        host: target.host,
        port: target.port,
        ...(target.tls.ca === undefined ? { rejectUnauthorized: false } : { ca: target.tls.ca }),
        ...(target.tls.cert !== undefined && { cert: target.tls.cert }),
        ...(target.tls.key !== undefined && { key: target.tls.key }),
        // Fabric's gRPC servers (grpc-go) refuse TLS clients that do not offer h2 through ALPN.
        ALPNProtocols: ['h2'],
        // Fabric's TLS certificates name localhost; the host may be 127.0.0.1.
        servername: 'localhost',
      })
      : tcpConnect({ host: target.host, port: target.port });
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.once(target.tls ? 'secureConnect' : 'connect', () => finish());
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error('connection closed before it was ready')));
  });
}

/**
 * Waits until a node's port accepts connections, because a Fabric node answers `/healthz` before
 * it serves everything else (the orderer opens its channel-participation admin port last). Ends in
 * PORT_NOT_READY naming the node and port after `timeoutMs`, or NODE_START_FAILED at once when the
 * process that should open it has exited.
 */
export async function waitForPort(target: PortTarget, options: WaitForPortOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  for (;;) {
    try {
      await probePort(target, Math.max(1, Math.min(options.probeTimeoutMs ?? 2000, deadline - Date.now())));
      return;
    } catch (error) {
      last = error as Error;
    }
    if (options.stillRunning && !options.stillRunning()) {
      throw new NetworkError('NODE_START_FAILED', `${target.node} exited before its ${target.purpose} port ${hostPort(target.host, target.port)} opened (see its log: kyc-network logs ${target.node})`, {
        details: { node: target.node, purpose: target.purpose, port: target.port },
      });
    }
    if (Date.now() + intervalMs > deadline) break;
    await sleep(intervalMs);
  }
  throw new NetworkError(
    'PORT_NOT_READY',
    `${target.node} ${target.purpose} port ${hostPort(target.host, target.port)} is not ready after ${timeoutMs / 1000} s (last attempt: ${last?.message ?? 'none'})`,
    { details: { node: target.node, purpose: target.purpose, host: target.host, port: target.port, timeoutMs, lastError: last?.message }, cause: last },
  );
}

/** Waits for every target at once; the first that times out fails the whole wait. */
export async function waitForPorts(targets: readonly PortTarget[], options: WaitForPortOptions = {}): Promise<void> {
  await Promise.all(targets.map((t) => waitForPort(t, options)));
}
