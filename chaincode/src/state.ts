import type { Context } from 'fabric-contract-api';
import { canonicalJson } from './canonicalJson';

/** Object types: each gets its own composite-key namespace. */
export const ObjectTypes = {
  CONFIG: 'config',
  MEMBER: 'member',
  ACCREDITATION: 'accreditation',
  PROPOSAL: 'proposal',
  ATTESTATION: 'attestation',
  ATTESTATION_BY_SUBJECT: 'attestation~subject',
  ATTESTATION_BY_DUPLICATE: 'attestation~dup',
  RECEIPT: 'receipt',
  ASSET: 'asset',
  RULE_SET: 'ruleset',
  RULE_SET_BY_HASH: 'ruleset~hash',
  REGISTRATION: 'registration',
  INVESTOR: 'investor',
  HOLDING: 'holding',
  HOLDERS: 'holders',
  DECISION: 'decision',
  /** One party's personal inputs of a decision, in that investor's collection. */
  DECISION_PARTY: 'decision~party',
  /** Per investor: the keys of every decision input holding their attributes (see decisionStore). */
  INVESTOR_DECISIONS: 'investor~decisions',
  /** Left by an erasure: when and by whom, so later reads answer ERASED instead of NOT_FOUND. */
  INVESTOR_ERASED: 'investor~erased',
} as const;

export type ObjectType = (typeof ObjectTypes)[keyof typeof ObjectTypes];

export function stateKey(ctx: Context, type: ObjectType, ...attributes: string[]): string {
  return ctx.stub.createCompositeKey(type, attributes);
}

export async function readJson<T>(ctx: Context, type: ObjectType, ...attributes: string[]): Promise<T | undefined> {
  return parseStored<T>(ctx, await ctx.stub.getState(stateKey(ctx, type, ...attributes)));
}

/** Parses a stored value's bytes; see {@link STORED_VALUE_PARSER}. */
export type StoredValueParser = (bytes: Uint8Array) => unknown;

/**
 * A context may name, under this key, how its stored values are parsed. The peer's contexts never
 * do: every read is parsed afresh. The issuer gateway's read-only replica context hands out the
 * same bytes object for the same stored version, so it parses each version once and shares the
 * result, deeply frozen, between checks. Code on the read path must therefore never change a value
 * it has read (a frozen value throws, and the gateway then asks the peer).
 */
export const STORED_VALUE_PARSER = Symbol.for('kyc-ledger.storedValueParser');

/** A stored JSON value read through `ctx`; undefined when the key has no value. */
export function parseStored<T>(ctx: Context, bytes: Uint8Array | undefined): T | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  const parse = (ctx as { [STORED_VALUE_PARSER]?: StoredValueParser })[STORED_VALUE_PARSER];
  return (parse ? parse(bytes) : JSON.parse(Buffer.from(bytes).toString('utf8'))) as T;
}

/** A stored JSON value as read from the ledger; undefined when the key has no value. */
export function parseJson<T>(bytes: Uint8Array | undefined): T | undefined {
  return bytes && bytes.length > 0 ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : undefined;
}

/** Writes canonical JSON, so every endorsing peer produces identical bytes. */
export async function writeJson(ctx: Context, value: unknown, type: ObjectType, ...attributes: string[]): Promise<void> {
  await ctx.stub.putState(stateKey(ctx, type, ...attributes), Buffer.from(canonicalJson(value)));
}

/** An index entry: the key carries the data, the value is a marker byte. */
export async function writeIndex(ctx: Context, type: ObjectType, ...attributes: string[]): Promise<void> {
  await ctx.stub.putState(stateKey(ctx, type, ...attributes), indexValue());
}

/** The value of every index entry. */
export function indexValue(): Uint8Array {
  return Buffer.from([0]);
}

/** The last attribute of every index key under the given partial key. */
export async function readIndex(ctx: Context, type: ObjectType, ...prefix: string[]): Promise<string[]> {
  return lastAttributes(ctx, await ctx.stub.getStateByPartialCompositeKey(type, prefix));
}

/** Drains a composite-key iterator (public or private) into each key's last attribute. */
export async function lastAttributes(ctx: Context, iterator: Awaited<ReturnType<Context['stub']['getStateByPartialCompositeKey']>>): Promise<string[]> {
  const ids: string[] = [];
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const { attributes } = ctx.stub.splitCompositeKey(next.value.key);
      const last = attributes[attributes.length - 1];
      if (last !== undefined) ids.push(last);
    }
  } finally {
    await iterator.close();
  }
  return ids;
}

/** Every object of a type (for small collections such as members). */
export async function readAll<T>(ctx: Context, type: ObjectType): Promise<T[]> {
  const iterator = await ctx.stub.getStateByPartialCompositeKey(type, []);
  const values: T[] = [];
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      values.push(JSON.parse(Buffer.from(next.value.value).toString('utf8')) as T);
    }
  } finally {
    await iterator.close();
  }
  return values;
}

export function emit(ctx: Context, name: string, payload: unknown): void {
  ctx.stub.setEvent(name, Buffer.from(canonicalJson(payload)));
}
