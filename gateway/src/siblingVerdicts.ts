import cluster, { type Worker } from 'node:cluster';
import type { Verdict } from './sessionStore';

/**
 * Disclosed values live only in the memory of the instance that took the wallet's submission.
 * Instances of one gateway on one machine (node:cluster workers sharing a port) cannot choose
 * which of them a back-office request reaches, so an instance without the verdict asks its
 * siblings through the primary, which relays the question to every other worker.
 */

const ASK = 'kyc-gateway:verdict?';
const ANSWER = 'kyc-gateway:verdict!';
/** How long an instance waits for its siblings before answering from the ledger alone. */
const ASK_TIMEOUT_MS = 1000;

interface Question { type: typeof ASK; id: number; sessionId: string }
interface Answer { type: typeof ANSWER; id: number; verdict?: Verdict }

const isQuestion = (m: unknown): m is Question => (m as Question | null)?.type === ASK && typeof (m as Question).sessionId === 'string';
const isAnswer = (m: unknown): m is Answer => (m as Answer | null)?.type === ANSWER && typeof (m as Answer).id === 'number';

/** Asks this process's sibling instances for a session's verdict; undefined when none holds it or this is not a cluster worker. */
export type SiblingVerdicts = (sessionId: string) => Promise<Verdict | undefined>;

/**
 * In a cluster worker: answers siblings' questions from `lookup` and returns the function asking
 * them. Outside a cluster: asks nobody.
 */
export function siblingVerdicts(lookup: (sessionId: string) => Verdict | undefined): SiblingVerdicts {
  if (!cluster.isWorker || !process.send) return async () => undefined;
  let nextId = 0;
  const waiting = new Map<number, (verdict: Verdict | undefined) => void>();
  process.on('message', (message: unknown) => {
    if (isQuestion(message)) {
      const verdict = lookup(message.sessionId);
      process.send?.({ type: ANSWER, id: message.id, ...(verdict && { verdict }) } satisfies Answer);
    } else if (isAnswer(message)) {
      waiting.get(message.id)?.(message.verdict);
    }
  });
  return (sessionId) => new Promise((resolve) => {
    const id = nextId++;
    const timer = setTimeout(() => settle(undefined), ASK_TIMEOUT_MS);
    const settle = (verdict: Verdict | undefined) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(verdict);
    };
    waiting.set(id, settle);
    process.send?.({ type: ASK, id, sessionId } satisfies Question);
  });
}

/**
 * In the cluster primary: relays each worker's question to the other workers and sends back the
 * first verdict found, or no verdict once all have answered (or the asker's timeout passes).
 */
export function relaySiblingVerdicts(): void {
  let nextId = 0;
  // relay id -> the asking worker, its own question id, and the answers still due
  const open = new Map<number, { asker: Worker; askerId: number; due: number }>();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (isQuestion(message)) {
      const others = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w !== worker && w.isConnected());
      if (others.length === 0) {
        worker.send({ type: ANSWER, id: message.id } satisfies Answer);
        return;
      }
      const id = nextId++;
      open.set(id, { asker: worker, askerId: message.id, due: others.length });
      // Nobody waits longer than the asker does.
      setTimeout(() => open.delete(id), ASK_TIMEOUT_MS + 100).unref();
      for (const w of others) w.send({ type: ASK, id, sessionId: message.sessionId } satisfies Question);
    } else if (isAnswer(message)) {
      const pending = open.get(message.id);
      if (!pending) return;
      pending.due--;
      if (message.verdict || pending.due === 0) {
        open.delete(message.id);
        if (pending.asker.isConnected()) pending.asker.send({ type: ANSWER, id: pending.askerId, ...(message.verdict && { verdict: message.verdict }) } satisfies Answer);
      }
    }
  });
}
