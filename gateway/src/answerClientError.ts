import type { Duplex } from 'node:stream';
import { GatewayError, GatewayErrorCodes as G } from './gatewayError';
import { PROBLEM_CONTENT_TYPE, toProblemDetails } from './problemDetails';

const REQUEST_LINE_METHOD = /^([A-Z]{1,20}) /;

/**
 * The method of the request node's parser gave up on, when the bytes it reports start with the
 * request line; undefined when they start further in (headers that came in several packets).
 */
function methodOf(rawPacket: unknown): string | undefined {
  if (!Buffer.isBuffer(rawPacket)) return undefined;
  return REQUEST_LINE_METHOD.exec(rawPacket.subarray(0, 24).toString('latin1'))?.[1];
}

/**
 * Answers errors node's HTTP parser raises before express sees the request (oversize headers,
 * garbage) with a problem, then closes the connection. A response to HEAD never has a body, so
 * the problem is sent only when the request is known not to be a HEAD; otherwise the status and
 * an empty body.
 */
export function answerClientError(error: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const gatewayError = tooLarge
    ? new GatewayError(G.HEADERS_TOO_LARGE, 'the request headers are too large')
    : new GatewayError(G.INVALID_ARGUMENT, 'the request is not valid HTTP');
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const method = methodOf(error.rawPacket);
  if (method === undefined || method === 'HEAD') {
    socket.end(`HTTP/1.1 ${status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
    return;
  }
  const problem = JSON.stringify(toProblemDetails(gatewayError, 'none'));
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(problem)}\r\nconnection: close\r\n\r\n${problem}`,
  );
}
