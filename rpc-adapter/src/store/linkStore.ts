import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { AdapterErrorCodes, GatewayErrorCodes, KycError, canonicalJson } from '@kyc-ledger/api';
import type { LevelDb } from './levelTypes';

/** An institution chain the sync driver keeps in step with one asset's registry. */
export interface ChainSpec {
  chainId: number;
  rpcUrl: string;
  contractAddress: string;
  confirmations: number;
}

/** A stored link: which org linked which of its assets to which chain. */
export interface ChainLinkRecord {
  linkId: string;
  asset: string;
  chain: ChainSpec;
  /** The MSP id of the org that linked it. */
  org: string;
  createdAt: string;
}

/** The id of the link that org `org`'s LinkChain with `requestId` makes (known before it is made). */
export function linkIdOf(org: string, requestId: string): string {
  return `lnk_${createHash('sha256').update(`${org}\u0000${requestId}`).digest('hex').slice(0, 24)}`;
}

interface RequestRecord {
  /** sha256 of the canonical request: the same id with another request is refused. */
  fingerprint: string;
  answer: unknown;
}

/**
 * Chain links and the answers of the mutating calls, keyed by the caller's request id (scoped to
 * the caller's org, so one org's ids never collide with, or reveal, another's). A request id with
 * the same request answers what it answered the first time, even after later changes; with a
 * different request it is refused with REQUEST_ID_REUSED. Calls run one at a time so two
 * concurrent retries of one request cannot both act.
 */
export class LinkStore {
  private readonly links;
  private readonly requests;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly events = new EventEmitter();

  constructor(private readonly db: LevelDb, private readonly now: () => Date = () => new Date()) {
    this.links = db.sublevel<string, ChainLinkRecord>('links', { valueEncoding: 'json' });
    this.requests = db.sublevel<string, RequestRecord>('link-requests', { valueEncoding: 'json' });
  }

  /** Links `asset` of `org` to `chain`; the link id derives from the org and request id. */
  link(org: string, requestId: string, asset: string, chain: ChainSpec): Promise<ChainLinkRecord> {
    return this.once(org, requestId, { call: 'link', asset, chain }, async (batch) => {
      const linkId = linkIdOf(org, requestId);
      const record: ChainLinkRecord = { linkId, asset, chain, org, createdAt: this.now().toISOString() };
      batch.push({ type: 'put', key: linkId, value: record, sublevel: this.links });
      return record;
    });
  }

  /** Removes link `linkId` of `org`; NOT_FOUND when no such link is the org's (another org's link looks absent). */
  unlink(org: string, requestId: string, linkId: string): Promise<{ linkId: string }> {
    return this.once(org, requestId, { call: 'unlink', linkId }, async (batch) => {
      const link = await this.links.get(linkId);
      if (!link || link.org !== org) throw new KycError(GatewayErrorCodes.NOT_FOUND, `no link ${linkId}`, { details: { linkId } });
      batch.push({ type: 'del', key: linkId, sublevel: this.links });
      return { linkId };
    });
  }

  /**
   * Calls `listener` after a link was added or removed (not on a repeated request), e.g. for the
   * sync driver to start or stop syncing it; returns a function that unsubscribes.
   */
  onLinksChanged(listener: () => void): () => void {
    this.events.on('changed', listener);
    return () => this.events.off('changed', listener);
  }

  /** Link `linkId`, or undefined. */
  async get(linkId: string): Promise<ChainLinkRecord | undefined> {
    return this.links.get(linkId);
  }

  /** Every link (of `org` when given), by link id. */
  async list(org?: string): Promise<ChainLinkRecord[]> {
    const all = await this.links.values().all();
    return org === undefined ? all : all.filter((l) => l.org === org);
  }

  private once<T>(org: string, requestId: string, request: object, act: (ops: BatchOp[]) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const key = `${org}\u0000${requestId}`;
      const fingerprint = createHash('sha256').update(canonicalJson(request)).digest('hex');
      const seen = await this.requests.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          throw new KycError(AdapterErrorCodes.REQUEST_ID_REUSED, `request id ${requestId} was used for a different request`, { details: { requestId } });
        }
        return seen.answer as T;
      }
      const ops: BatchOp[] = [];
      const answer = await act(ops);
      ops.push({ type: 'put', key, value: { fingerprint, answer }, sublevel: this.requests });
      // The effect and the remembered answer land together: a crash leaves neither or both.
      await this.db.batch(ops as never);
      this.events.emit('changed');
      return answer;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

type BatchOp =
  | { type: 'put'; key: string; value: unknown; sublevel: unknown }
  | { type: 'del'; key: string; sublevel: unknown };
