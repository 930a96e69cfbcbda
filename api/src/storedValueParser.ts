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
