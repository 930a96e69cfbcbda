import type { EventEmitter } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import type { AdapterServiceDeps } from './adapterService';
import { OP_NAMES, callerOrg, requireOwnAsset } from './adapterService';
import type * as M from './messages';
import { watchChangesSchema } from './requestSchemas';
import { parseRequest, toServiceError } from './serviceError';

/** Changes read from the store per round; the stream's flow control paces the rest. */
const READ_BATCH = 256;

/**
 * One WatchChanges stream: every change of the asset after the resume position, in order, then
 * live ones as the store commits them; a heartbeat whenever nothing was sent for `heartbeatMs`.
 * Each message's resume token names the last change sent, so resuming from any message's token
 * gives every later change exactly once.
 */
export async function watchChanges(
  call: grpc.ServerWritableStream<M.WatchChangesRequest, M.WatchChangesResponse>,
  deps: AdapterServiceDeps,
  logError: (error: unknown) => void,
): Promise<void> {
  const { store, tokens, orgs, heartbeatMs } = deps;
  let closed = false;
  let wake: (() => void) | undefined;
  let dirty = false;
  const stop = () => {
    closed = true;
    wake?.();
  };
  call.on('cancelled', stop);
  call.on('close', stop);

  let unsubscribe = () => {};
  let heartbeat: NodeJS.Timeout | undefined;
  try {
    const org = callerOrg(call, orgs);
    const { asset, resumeToken } = parseRequest(watchChangesSchema, call.request);
    await requireOwnAsset(store, org, asset);
    // Subscribe before the first read: a change committed in between sets `dirty` and is read.
    unsubscribe = store.onChange((changed) => {
      if (changed !== asset) return;
      dirty = true;
      wake?.();
    });
    const head = await store.head(asset);
    let sent = resumeToken === '' ? 0 : tokens.parseResumeToken(resumeToken, asset, head).seq;
    let lastWrite = Date.now();

    const send = async (message: M.WatchChangesResponse) => {
      lastWrite = Date.now();
      if (!call.write(message)) await drained(call);
    };
    heartbeat = setInterval(() => {
      if (closed || Date.now() - lastWrite < heartbeatMs) return;
      // A failed read (e.g. the store closing at shutdown) skips one heartbeat; it must not end the process.
      store.head(asset).then(
        (h) => {
          if (!closed) send({ event: 'heartbeat', heartbeat: { head: h }, resumeToken: tokens.resumeToken(asset, sent) }).catch(() => undefined);
        },
        () => undefined,
      );
    }, Math.max(10, Math.floor(heartbeatMs / 2)));

    while (!closed) {
      dirty = false;
      const page = await store.changes(asset, sent + 1, READ_BATCH);
      for (const change of page.changes) {
        if (closed) break;
        // Seqs are gapless; a hole would mean a broken store, and sending past it would lose a change.
        if (change.seq !== sent + 1) throw new Error(`store returned change ${change.seq} after ${sent} for ${asset}`);
        sent = change.seq;
        await send({
          event: 'change',
          change: { seq: change.seq, op: OP_NAMES[change.op], address: change.address, txId: change.txId, at: change.at },
          resumeToken: tokens.resumeToken(asset, change.seq),
        });
      }
      if (page.changes.length < READ_BATCH && !dirty && !closed) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    }
  } catch (error) {
    if (!closed) call.emit('error', toServiceError(error, logError));
  } finally {
    closed = true;
    unsubscribe();
    if (heartbeat) clearInterval(heartbeat);
  }
}

/** Resolves when `stream` can take more, or will never need to (closed, cancelled); leaves no listener behind. */
function drained(stream: EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const events = ['drain', 'close', 'cancelled', 'error'];
    const done = () => {
      for (const e of events) stream.off(e, done);
      resolve();
    };
    for (const e of events) stream.on(e, done);
  });
}
