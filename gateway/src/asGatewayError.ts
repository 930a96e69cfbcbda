import { GatewayError, GatewayErrorCodes as G } from './gatewayError';

/** The shape of errors raised by express and its body parser (the http-errors package). */
interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  limit?: unknown;
  expose?: unknown;
}

function httpStatus(error: HttpLikeError): number | undefined {
  const status = typeof error.status === 'number' ? error.status : error.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Any error reaching the error handler as a {@link GatewayError}. Errors of the body parser and
 * of URL decoding are the client's fault and become coded 4xx errors; their own messages are not
 * reused because some quote the rejected input. Everything else is INTERNAL.
 */
export function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof URIError) return new GatewayError(G.INVALID_ARGUMENT, 'the URL has a malformed percent-encoding', { cause: error });
  if (error !== null && typeof error === 'object') {
    const e = error as HttpLikeError;
    const status = httpStatus(e);
    if (status !== undefined && status >= 400 && status < 500) {
      switch (e.type) {
        case 'entity.parse.failed':
          return new GatewayError(G.INVALID_ARGUMENT, 'the request body is not valid JSON (an object or array is expected)', { cause: error });
        case 'entity.too.large':
          return new GatewayError(G.PAYLOAD_TOO_LARGE, `the request body exceeds ${String(e.limit)} bytes`, {
            cause: error,
            details: { limit: e.limit },
          });
        case 'charset.unsupported':
          return new GatewayError(G.UNSUPPORTED_MEDIA_TYPE, 'the request body must be UTF-8 encoded', { cause: error });
        case 'encoding.unsupported':
          return new GatewayError(G.UNSUPPORTED_MEDIA_TYPE, 'the request body has an unsupported content encoding', { cause: error });
        default:
          if (status === 413) return new GatewayError(G.PAYLOAD_TOO_LARGE, 'the request body is too large', { cause: error });
          if (status === 415) return new GatewayError(G.UNSUPPORTED_MEDIA_TYPE, 'the request body has an unsupported media type or encoding', { cause: error });
          return new GatewayError(G.INVALID_ARGUMENT, 'the request could not be read', { cause: error });
      }
    }
  }
  return new GatewayError(G.INTERNAL, 'unexpected error', { cause: error });
}
