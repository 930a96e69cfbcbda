import type { Context } from 'fabric-contract-api';
import { compositeKey, COMPOSITE_KEY_NAMESPACE, COMPOSITE_KEY_SEPARATOR, STORED_VALUE_PARSER, type StoredValueParser } from '@kyc-ledger/api';
import { ReplicaGapError, objectTypeOf, type KeyValueReplica } from './keyValueReplica';

type Entry = { key: string; value: Uint8Array };

/** The reads a context serves: a {@link KeyValueReplica}'s. */
export type ReplicaReads = Pick<KeyValueReplica, 'getState' | 'getPrivateData' | 'scanState' | 'scanPrivateData'>;

const EMPTY = new Uint8Array(0);

/** fabric-shim's rule for composite key parts, so a bad part fails here as it would on the peer. */
function part(value: string): string {
  if (!value || typeof value !== 'string' || value.length === 0) throw new Error('object type or attribute not a non-zero length string');
  return value;
}

function createCompositeKey(objectType: string, attributes: string[]): string {
  if (!Array.isArray(attributes)) throw new Error('attributes must be an array');
  return compositeKey(part(objectType), attributes.map(part));
}

function splitCompositeKey(compositeKey: string): { objectType: string; attributes: string[] } {
  if (!compositeKey || compositeKey.length <= 1 || !compositeKey.startsWith(COMPOSITE_KEY_NAMESPACE)) return { objectType: null as unknown as string, attributes: [] };
  const parts = compositeKey.substring(COMPOSITE_KEY_NAMESPACE.length).split(COMPOSITE_KEY_SEPARATOR);
  const objectType = parts[0] as string;
  parts.pop();
  return { objectType, attributes: parts.length > 1 ? parts.slice(1) : [] };
}

function iterator(scan: Promise<Entry[]>) {
  const opened = scan.then((kvs) => {
    let i = 0;
    const next = async () => {
      const kv = kvs[i++];
      return kv ? { done: false, value: { namespace: '', key: kv.key, value: kv.value } } : { done: true, value: undefined };
    };
    return { next, close: async () => undefined };
  });
  // A caller that only iterates never awaits the promise itself: its failure reaches the loop.
  opened.catch(() => undefined);
  // The shim's iterators are promises of an iterator that are also async-iterable.
  return Object.assign(opened, {
    async *[Symbol.asyncIterator]() {
      for (const kv of await scan) yield { namespace: '', key: kv.key, value: kv.value };
    },
  });
}

export interface ReplicaContextOptions {
  /** The organisation the checks run as: the gateway's own. */
  mspId: string;
  /** The transaction time the chaincode sees (the request time). */
  at: Date;
  channel: string;
  /** Object types the replica keeps: a read of any other type cannot be answered here. */
  publicTypes: ReadonlySet<string>;
  privateTypes: ReadonlySet<string>;
  /** How the chaincode parses what it reads here; default: afresh on every read, as on a peer. */
  parse?: StoredValueParser;
}

/**
 * A read-only chaincode `Context` over a replica, so the chaincode's own read paths run in the
 * gateway. Reads of object types the replica does not keep throw {@link ReplicaGapError} rather
 * than answer "absent", so a chaincode change that reads more sends checks to the peer instead of
 * giving a wrong verdict. Writes, events and anything else a query has no use for are absent.
 */
export function replicaContext(replica: ReplicaReads, options: ReplicaContextOptions): Context {
  const kept = (key: string, types: ReadonlySet<string>, where: string) => {
    const type = objectTypeOf(key);
    if (type === undefined || !types.has(type)) throw new ReplicaGapError(where);
    return key;
  };
  const ms = options.at.getTime();
  const seconds = Math.floor(ms / 1000);
  const stub = {
    getChannelID: () => options.channel,
    getTxTimestamp: () => ({ seconds: { toString: () => String(seconds), toNumber: () => seconds }, nanos: (ms - seconds * 1000) * 1_000_000 }),
    createCompositeKey,
    splitCompositeKey,
    getState: async (key: string) => (await replica.getState(kept(key, options.publicTypes, 'public state'))) ?? EMPTY,
    getPrivateData: async (collection: string, key: string) => (await replica.getPrivateData(collection, kept(key, options.privateTypes, collection))) ?? EMPTY,
    getStateByPartialCompositeKey: (objectType: string, attributes: string[]) => {
      const prefix = kept(createCompositeKey(objectType, attributes), options.publicTypes, 'public state');
      return iterator(replica.scanState(objectType, prefix));
    },
    getPrivateDataByPartialCompositeKey: (collection: string, objectType: string, attributes: string[]) => {
      const prefix = kept(createCompositeKey(objectType, attributes), options.privateTypes, collection);
      return iterator(replica.scanPrivateData(collection, objectType, prefix));
    },
  };
  const id = `x509::/OU=client/CN=gateway@${options.mspId}::/CN=ca.${options.mspId}`;
  const clientIdentity = { getMSPID: () => options.mspId, getID: () => id };
  return { stub, clientIdentity, ...(options.parse && { [STORED_VALUE_PARSER]: options.parse }) } as unknown as Context;
}
