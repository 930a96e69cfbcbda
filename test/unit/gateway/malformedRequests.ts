/**
 * Generators of malformed requests for the bad-input test. Every generated request is invalid by
 * construction (each mutation alone makes it so), so the gateway must answer 4xx and call the
 * ledger never.
 */

export type Rng = () => number;

/** Deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
export const pick = <T>(rng: Rng, list: readonly T[]): T => list[int(rng, list.length)] as T;

/** One malformed request. */
export interface MalformedRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The status the gateway must answer, when the kind of fault determines it. */
  status?: number;
}

const PRINTABLE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !"#$&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A random string ending in ' !': a space is in no identifier, address, code or hex value of ours. */
export function junkString(rng: Rng, max = 40): string {
  let s = '';
  const length = 1 + int(rng, max);
  for (let i = 0; i < length; i++) s += PRINTABLE[int(rng, PRINTABLE.length)];
  return `${s} !`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A random JSON value of a type other than `not`. */
export function randomJson(rng: Rng, depth = 2, not?: string): Json {
  for (;;) {
    const kind = int(rng, depth > 0 ? 8 : 6);
    let value: Json;
    switch (kind) {
      case 0: value = null; break;
      case 1: value = rng() < 0.5; break;
      case 2: value = pick(rng, [0, -1, 1.5, 1e308, -0, 2 ** 53, 42]); break;
      case 3: value = junkString(rng); break;
      case 4: value = ''; break;
      case 5: value = pick(rng, ['true', '0', 'null', '[]', '{}']); break;
      case 6: value = Array.from({ length: int(rng, 4) }, () => randomJson(rng, depth - 1)); break;
      default: {
        const obj: Record<string, Json> = {};
        for (let i = int(rng, 4); i > 0; i--) obj[`k${int(rng, 1000)}`] = randomJson(rng, depth - 1);
        value = obj;
      }
    }
    if (jsonType(value) !== not) return value;
  }
}

/** Values that have the right JSON type but break the field's rules, by field name. */
const BAD_VALUES: Record<string, readonly Json[]> = {
  subject: ['eip155:1:0x1234', 'eip155:01:0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B', 'EIP155:1:0xab5801a7d398351b8be11c439e05c5b3259aec9b', 'eip155:1:0xAB5801a7D398351b8bE11C439e05C5B3259aeC9B', 'nonsense', 'bip122:000000000019d6689c085ae165831e93:1BoatSLRHtKNngkdXEeobR76b53LETtpyZ', '', 'eip155:1:'],
  newSubject: ['eip155:1:0x1234', 'cosmos:hub:abc', 'eip155:1:0xZZ5801a7D398351b8bE11C439e05C5B3259aeC9B'],
  commitmentRoot: ['A1'.repeat(32), 'a1'.repeat(31), 'a1'.repeat(33), `0x${'a1'.repeat(32)}`, 'g'.repeat(64)],
  evidenceHash: ['B2'.repeat(32), '', 'b2'.repeat(16)],
  duplicateMarker: ['', 'xyz'],
  fieldNames: ['Given name', 'given-name', '1abc', 'a'.repeat(65), ''],
  claimTopics: ['-kyc', 'kyc basic', 'KYC', 'kyc.basic', '', 'k'.repeat(65)],
  jurisdiction: ['XX', 'de', 'DEU', 'XK', ''],
  assuranceLevel: ['HIGH', 'medium', ''],
  expiresAt: ['2027-02-30T00:00:00Z', '2027-12-31', '2027-12-31T24:00:00Z', '2027-12-31T00:00:00+01:00', 'tomorrow', ''],
  scheme: ['rsa', 'EIP191', ''],
  signature: [''],
  reason: ['erased', 'BECAUSE', ''],
  authenticatorData: [''],
  clientDataJSON: [''],
};

type PathSeg = string | number;

function walk(value: Json, path: PathSeg[], out: { path: PathSeg[]; value: Json }[]): void {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
}

function parentOf(root: Json, path: PathSeg[]): Record<string, Json> | Json[] {
  let node: Json = root;
  for (const seg of path.slice(0, -1)) node = (node as Record<string, Json>)[seg as string] as Json;
  return node as Record<string, Json> | Json[];
}

/** Puts `value` at `path`; returns the new root (which is `value` itself for the empty path). */
function replaceAt(root: Json, path: PathSeg[], value: Json): Json {
  if (path.length === 0) return value;
  (parentOf(root, path) as Record<string, Json>)[path[path.length - 1] as string] = value;
  return root;
}

function fieldName(path: PathSeg[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

/** Keys the request schemas allow to be absent. */
const OPTIONAL_KEYS = ['webauthn', 'duplicateMarker'];

/** Keys no request schema has. */
const UNKNOWN_KEYS = ['__proto__', 'constructor', 'prototype', 'zz_extra', 'Subject', 'items ', ''];

/** Applies one mutation that makes a valid body invalid; returns the (possibly new) root. */
function mutateOnce(rng: Rng, root: Json): Json {
  const nodes: { path: PathSeg[]; value: Json }[] = [];
  walk(root, [], nodes);
  for (;;) {
    const op = int(rng, 6);
    const node = pick(rng, nodes);
    const key = node.path[node.path.length - 1];
    if (op === 0 && typeof key === 'string' && !UNKNOWN_KEYS.includes(key) && !OPTIONAL_KEYS.includes(key)) {
      // Removing a required key (not one op 4 added: that would heal the body).
      delete (parentOf(root, node.path) as Record<string, Json>)[key];
      return root;
    }
    if (op === 1) return replaceAt(root, node.path, randomJson(rng, 2, jsonType(node.value)));
    if (op === 2 && typeof node.value === 'string') {
      const name = fieldName(node.path) ?? '';
      // hasOwn: names such as "constructor" must not find Object.prototype members.
      const bad = Object.hasOwn(BAD_VALUES, name) ? BAD_VALUES[name] : undefined;
      if (bad) return replaceAt(root, node.path, pick(rng, bad));
    }
    if (op === 3 && typeof node.value === 'string') return replaceAt(root, node.path, 'x'.repeat(10_000 + int(rng, 10_000)));
    if (op === 4 && node.value !== null && typeof node.value === 'object' && !Array.isArray(node.value)) {
      const name = pick(rng, UNKNOWN_KEYS);
      Object.defineProperty(node.value, name, { value: randomJson(rng, 1), enumerable: true, writable: true, configurable: true });
      return root;
    }
    if (op === 5 && Array.isArray(node.value)) {
      node.value.length = 0;
      return root;
    }
  }
}

/** 1-3 invalidating mutations of a deep copy of `valid`. */
export function mutateBody(rng: Rng, valid: unknown): unknown {
  let root = JSON.parse(JSON.stringify(valid)) as Json;
  for (let n = 1 + int(rng, 3); n > 0; n--) root = mutateOnce(rng, root);
  return root;
}

/** Bodies that are not JSON or not a JSON object/array. */
export function rawBadBody(rng: Rng, valid: unknown): string | Buffer {
  const text = JSON.stringify(valid);
  return pick(rng, [
    () => '',
    () => '{',
    () => text.slice(0, 1 + int(rng, text.length - 1)),
    () => `${text}}`,
    () => `${text},`,
    () => 'null',
    () => '123',
    () => '"just a string"',
    () => 'true',
    () => "{'subject':'x'}",
    () => '{subject:1}',
    () => '{"a":1,}',
    () => 'NaN',
    () => '[1,2',
    () => `${'['.repeat(5000)}${']'.repeat(5000)}`,
    () => `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
    () => Buffer.from(Array.from({ length: 1 + int(rng, 200) }, () => int(rng, 256))),
    () => Buffer.concat([Buffer.from('{"subject":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
    () => JSON.stringify(randomJson(rng, 3)),
    () => text.replace(/"/g, "'"),
  ])();
}

/**
 * Byte sequences that are not UTF-8 (RFC 3629): bytes never used, a lone continuation byte, an
 * overlong form, an encoded surrogate, a truncated sequence, a code point above U+10FFFF.
 */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff, 0xfe, 0xc3],
  [0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xfe],
];

const SPLICE = '\u0000splice-here\u0000';

/**
 * `valid` as JSON with bytes that are not UTF-8 inside one of its string values (or, when it has
 * none, as a string of its own): a body that decodes to well-formed JSON with U+FFFD in it.
 */
export function invalidUtf8Body(rng: Rng, valid: unknown): Buffer {
  let root = JSON.parse(JSON.stringify(valid ?? {})) as Json;
  const nodes: { path: PathSeg[]; value: Json }[] = [];
  walk(root, [], nodes);
  const strings = nodes.filter((n) => typeof n.value === 'string');
  if (strings.length === 0) root = { value: SPLICE };
  else {
    const target = pick(rng, strings);
    root = replaceAt(root, target.path, `${target.value as string}${SPLICE}`);
  }
  const text = JSON.stringify(root);
  const marker = JSON.stringify(SPLICE).slice(1, -1);
  const at = text.indexOf(marker);
  return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(pick(rng, INVALID_UTF8)), Buffer.from(text.slice(at + marker.length))]);
}

export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json-patch+json',
  'application/jsonx',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'image/png',
  'json',
];

/** API keys that must not authenticate (none, unknown, too long, near misses). */
export function wrongKey(rng: Rng, realKey: string): string | undefined {
  return pick(rng, [
    undefined,
    '',
    'x',
    `${realKey}x`,
    realKey.slice(0, -1),
    realKey.toUpperCase(),
    'k'.repeat(300),
    junkString(rng, 60).replace(/ /g, '_'),
    'Bearer token',
  ]);
}
