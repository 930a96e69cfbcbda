import type { Request, Response } from 'express';
import { EVENT_STREAM_CONTENT_TYPE, type EventStreamSink, type StreamReply } from './routeDefinition';

/**
 * Event the express app emits when its gateway shuts down: open event streams end, so the server's
 * graceful close is not held up by clients that would listen for an hour.
 */
export const APP_CLOSING_EVENT = 'kyc-gateway:closing';

/** Per app, the aborts of its open streams: one app listener for all, however many streams. */
const openStreams = new WeakMap<object, Set<() => void>>();

function streamsOf(app: Request['app']): Set<() => void> {
  let set = openStreams.get(app);
  if (!set) {
    const aborts = new Set<() => void>();
    (app as unknown as NodeJS.EventEmitter).on(APP_CLOSING_EVENT, () => [...aborts].forEach((abort) => abort()));
    openStreams.set(app, (set = aborts));
  }
  return set;
}

/** One line of JSON data: JSON.stringify never writes a raw newline, which would split the event. */
function eventText(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Answers a {@link StreamReply}: the event-stream headers at once (no buffering by proxies), then
 * whatever the reply writes, then the end. The reply's signal aborts when the client closes the
 * connection or the app emits {@link APP_CLOSING_EVENT}.
 */
export async function sendEventStream(req: Request, res: Response, reply: StreamReply): Promise<void> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  res.on('close', abort);
  // The client may have gone while the handler awaited (its 'close' then fired before we listened):
  // without this the stream would be followed, and its per-key slot held, until the session ends.
  if (res.destroyed || req.socket.destroyed) abort();
  const streams = streamsOf(req.app);
  streams.add(abort);
  res.status(200);
  res.setHeader('content-type', `${EVENT_STREAM_CONTENT_TYPE}; charset=utf-8`);
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  const sink: EventStreamSink = {
    event: (name, data) => {
      if (!res.writableEnded && !controller.signal.aborted) res.write(eventText(name, data));
    },
    comment: (text) => {
      if (!res.writableEnded && !controller.signal.aborted) res.write(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`);
    },
  };
  try {
    await reply.stream(sink, controller.signal);
  } finally {
    streams.delete(abort);
    res.off('close', abort);
    if (!res.writableEnded) res.end();
  }
}
