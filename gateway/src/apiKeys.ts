import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyConfig, ApiKeyRole } from './gatewayConfig';

/** Who presented a valid API key. */
export interface ApiKeyIdentity {
  /** The key's configured id (safe to log). */
  id: string;
  role: ApiKeyRole;
}

/** Looks up presented API keys. */
export interface ApiKeyAuthenticator {
  /** The key's identity, or undefined when the key is missing or unknown. */
  authenticate(presented: string | undefined): ApiKeyIdentity | undefined;
}

/** Longest key we hash; anything longer cannot be one of ours. */
const MAX_KEY_LENGTH = 256;

/** SHA-256 of an API key as lower-case hex: the form kept in the configuration. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A fresh random API key (32 bytes, base64url) and the hash to configure for it. */
export function generateApiKey(): { key: string; keyHash: string } {
  const key = `kyc_${randomBytes(32).toString('base64url')}`;
  return { key, keyHash: hashApiKey(key) };
}

class HashedKeyAuthenticator implements ApiKeyAuthenticator {
  readonly #byHash: ReadonlyMap<string, ApiKeyIdentity>;

  constructor(keys: readonly ApiKeyConfig[]) {
    this.#byHash = new Map(keys.map((k) => [k.keyHash, { id: k.id, role: k.role }]));
  }

  authenticate(presented: string | undefined): ApiKeyIdentity | undefined {
    if (!presented || presented.length > MAX_KEY_LENGTH) return undefined;
    // The lookup is by hash, so its timing can reveal at most something about a hash, never about
    // a key: no constant-time comparison is needed.
    return this.#byHash.get(hashApiKey(presented));
  }
}

/** An authenticator over the configured (hashed) keys. */
export function newApiKeyAuthenticator(keys: readonly ApiKeyConfig[]): ApiKeyAuthenticator {
  return new HashedKeyAuthenticator(keys);
}
