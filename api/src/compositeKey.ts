/**
 * The composite-key layout, written once: U+0000, the object type, then each attribute, each
 * followed by U+0000. It is fabric-shim's `createCompositeKey` byte for byte (fabric-shim
 * lib/stub.js), so the chaincode may keep calling the shim while gateways, replicas and tools
 * that read keys from blocks build and split the same keys without a stub.
 */
export const COMPOSITE_KEY_NAMESPACE = '\u0000';

/** The separator after the object type and after each attribute. */
export const COMPOSITE_KEY_SEPARATOR = '\u0000';

/** The key of `objectType` with `attributes`, as the chaincode writes it. */
export function compositeKey(objectType: string, attributes: readonly string[]): string {
  let key = COMPOSITE_KEY_NAMESPACE + objectType + COMPOSITE_KEY_SEPARATOR;
  for (const attribute of attributes) key += attribute + COMPOSITE_KEY_SEPARATOR;
  return key;
}

/** A composite key's object type and attributes; undefined for a key that is not composite. */
export function splitCompositeKey(key: string): { objectType: string; attributes: string[] } | undefined {
  if (!key.startsWith(COMPOSITE_KEY_NAMESPACE) || !key.endsWith(COMPOSITE_KEY_SEPARATOR)) return undefined;
  const [objectType = '', ...attributes] = key.slice(COMPOSITE_KEY_NAMESPACE.length, -COMPOSITE_KEY_SEPARATOR.length).split(COMPOSITE_KEY_SEPARATOR);
  return { objectType, attributes };
}
