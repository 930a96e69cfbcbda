import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, decodeHex, utf8ToBytes } from './bytes.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';

/**
 * EIP-712 structured-data hashing (an encoding over keccak-256, not a primitive). Supports the
 * atomic types (address, bool, bytes1..32, uint8..256, int8..256), string, bytes, nested structs
 * and arrays (`T[]`, `T[n]`).
 */

/** One member of a struct type. */
export interface TypedField {
  name: string;
  type: string;
}

/** Struct definitions by type name (including `EIP712Domain`). */
export type TypedTypes = Record<string, readonly TypedField[]>;

/** A full EIP-712 request, as given to `eth_signTypedData_v4`. */
export interface TypedData {
  types: TypedTypes;
  primaryType: string;
  domain: Record<string, unknown>;
  message: Record<string, unknown>;
}

function bad(message: string): CryptoError {
  return new CryptoError(CryptoErrorCodes.INVALID_TYPED_DATA, message);
}

const ARRAY = /^(.*)\[(\d*)\]$/;

function fieldsOf(types: TypedTypes, name: string): readonly TypedField[] | undefined {
  return Object.prototype.hasOwnProperty.call(types, name) ? types[name] : undefined;
}

function baseType(type: string): string {
  let t = type;
  for (let m = ARRAY.exec(t); m; m = ARRAY.exec(t)) t = m[1] as string;
  return t;
}

function collectDependencies(types: TypedTypes, name: string, found: Set<string>): void {
  if (found.has(name)) return;
  const fields = fieldsOf(types, name);
  if (!fields) return;
  found.add(name);
  for (const f of fields) collectDependencies(types, baseType(f.type), found);
}

/** `encodeType`: the primary type's signature followed by its referenced struct types sorted by name. */
export function encodeType(types: TypedTypes, primaryType: string): string {
  if (!fieldsOf(types, primaryType)) throw bad(`unknown struct type ${primaryType}`);
  const deps = new Set<string>();
  collectDependencies(types, primaryType, deps);
  deps.delete(primaryType);
  return [primaryType, ...[...deps].sort()]
    .map((t) => `${t}(${(fieldsOf(types, t) ?? []).map((f) => `${f.type} ${f.name}`).join(',')})`)
    .join('');
}

/**
 * keccak256 of short texts that recur in every request of a kind (type signatures, domain names,
 * purposes): each is hashed once. Keyed by the text itself, so a hit is exact; bounded, and a copy
 * is handed out so no caller can change what the next one gets.
 */
const recurring = new Map<string, Uint8Array>();
const RECURRING_LIMIT = 1024;
const RECURRING_MAX_LENGTH = 256;

function keccakText(text: string): Uint8Array {
  if (text.length > RECURRING_MAX_LENGTH) return keccak_256(utf8ToBytes(text));
  let hash = recurring.get(text);
  if (!hash) {
    hash = keccak_256(utf8ToBytes(text));
    if (recurring.size >= RECURRING_LIMIT) recurring.clear();
    recurring.set(text, hash);
  }
  return hash.slice();
}

/** `typeHash` = keccak256(encodeType). */
export function typeHash(types: TypedTypes, primaryType: string): Uint8Array {
  return keccakText(encodeType(types, primaryType));
}

function toBigInt(value: unknown, type: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^(-?[0-9]+|0x[0-9a-fA-F]+)$/.test(value)) return BigInt(value);
  throw bad(`${type} value must be an integer, bigint, decimal or 0x-hex string`);
}

function word(n: bigint): Uint8Array {
  return decodeHex(n.toString(16).padStart(64, '0'), 'word', 32);
}

function encodeAtomic(type: string, value: unknown): Uint8Array {
  const int = /^(u?)int(\d{1,3})$/.exec(type);
  if (int) {
    const bits = Number(int[2]);
    if (bits < 8 || bits > 256 || bits % 8 !== 0) throw bad(`invalid integer type ${type}`);
    const n = toBigInt(value, type);
    const signed = int[1] === '';
    const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    if (n < min || n > max) throw bad(`${type} value out of range`);
    return word(n < 0n ? (1n << 256n) + n : n); // two's complement over 256 bits
  }
  if (type === 'address') {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) throw bad('address value must be 0x + 40 hex digits');
    return concatBytes(new Uint8Array(12), decodeHex(value, 'address', 20, true));
  }
  if (type === 'bool') {
    if (typeof value !== 'boolean') throw bad('bool value must be a boolean');
    return word(value ? 1n : 0n);
  }
  const fixed = /^bytes(\d{1,2})$/.exec(type);
  if (fixed) {
    const size = Number(fixed[1]);
    if (size < 1 || size > 32) throw bad(`invalid type ${type}`);
    const b = decodeHex(value, `${type} value`, size, true);
    return concatBytes(b, new Uint8Array(32 - size));
  }
  throw bad(`unsupported type ${type}`);
}

function encodeValue(types: TypedTypes, type: string, value: unknown): Uint8Array {
  const array = ARRAY.exec(type);
  if (array) {
    if (!Array.isArray(value)) throw bad(`${type} value must be an array`);
    if (array[2] !== '' && value.length !== Number(array[2])) throw bad(`${type} value must have ${array[2]} items`);
    const item = array[1] as string;
    return keccak_256(concatBytes(...value.map((v: unknown) => encodeValue(types, item, v))));
  }
  if (fieldsOf(types, type)) return hashStruct(types, type, value);
  if (type === 'string') {
    if (typeof value !== 'string') throw bad('string value must be a string');
    return keccakText(value);
  }
  if (type === 'bytes') return keccak_256(decodeHex(value, 'bytes value', undefined, true));
  return encodeAtomic(type, value);
}

/** `encodeData`: typeHash ‖ each member encoded to 32 bytes (dynamic and struct members hashed). */
export function encodeData(types: TypedTypes, primaryType: string, data: unknown): Uint8Array {
  const fields = fieldsOf(types, primaryType);
  if (!fields) throw bad(`unknown struct type ${primaryType}`);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad(`${primaryType} value must be an object`);
  const record = data as Record<string, unknown>;
  const extra = Object.keys(record).filter((k) => !fields.some((f) => f.name === k));
  if (extra.length > 0) throw bad(`${primaryType} has unknown members ${extra.join(', ')}`);
  const parts = fields.map((f) => {
    if (!(f.name in record)) throw bad(`${primaryType}.${f.name} is missing`);
    return encodeValue(types, f.type, record[f.name]);
  });
  return concatBytes(typeHash(types, primaryType), ...parts);
}

/** `hashStruct` = keccak256(encodeData). */
export function hashStruct(types: TypedTypes, primaryType: string, data: unknown): Uint8Array {
  return keccak_256(encodeData(types, primaryType, data));
}

/** The EIP-712 signing digest: keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)). */
export function typedDataDigest(typed: TypedData): Uint8Array {
  const domainSeparator = hashStruct(typed.types, 'EIP712Domain', typed.domain);
  return keccak_256(concatBytes(Uint8Array.of(0x19, 0x01), domainSeparator, hashStruct(typed.types, typed.primaryType, typed.message)));
}

/** Hex (`0x…`) form of a 32-byte hash, as EIP-712 tooling prints them. */
export function hex0x(bytes: Uint8Array): string {
  return `0x${bytesToHex(bytes)}`;
}
