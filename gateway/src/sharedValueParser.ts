import type { StoredValueParser } from '@kyc-ledger/api';
import { deepFreeze } from './deepFreeze';

/**
 * Parses each stored value once, as the chaincode would (`parseStored` in chaincode/src/state.ts).
 * The replica hands out the same bytes object for as long as a key keeps its value, so the parse
 * is remembered per bytes object, and forgotten with it once the key is written again. The value
 * is deeply frozen, since every check that reads it shares it.
 */
export function createSharedValueParser(): StoredValueParser {
  const parsed = new WeakMap<Uint8Array, unknown>();
  return (bytes) => {
    if (parsed.has(bytes)) return parsed.get(bytes);
    const value = deepFreeze(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown);
    parsed.set(bytes, value);
    return value;
  };
}
