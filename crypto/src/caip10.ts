import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { base58 } from '@scure/base';
import { bitcoinNetwork, parseBitcoinAddress, type BitcoinAddressType } from './bitcoinAddress.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';
import { normaliseEthereumAddress } from './ethereumAddress.js';

/** Namespaces (CAIP-2) whose account ids we can parse and verify signatures for. */
export const Namespaces = {
  EIP155: 'eip155',
  BIP122: 'bip122',
  SOLANA: 'solana',
  PASSKEY: 'passkey',
} as const;

/** One of {@link Namespaces}. */
export type Namespace = (typeof Namespaces)[keyof typeof Namespaces];

/** A parsed, normalised CAIP-10 account id. */
export interface AccountId {
  namespace: Namespace;
  reference: string;
  /** Normalised account address (EIP-55 case, lower-case bech32, canonical base58). */
  address: string;
  /** CAIP-2 chain id, `namespace:reference`. */
  chainId: string;
  /** Normalised CAIP-10 string, `namespace:reference:address`. */
  accountId: string;
  /** For bip122 only: the address type. */
  bitcoinType?: BitcoinAddressType;
  /** The public key the address is (ed25519, p256), when it is one. */
  publicKey?: Uint8Array;
}

// CAIP-2 / CAIP-10 character rules.
const NAMESPACE = /^[-a-z0-9]{3,8}$/;
const REFERENCE = /^[-_a-zA-Z0-9]{1,32}$/;
const ACCOUNT_ADDRESS = /^[-.%a-zA-Z0-9]{1,128}$/;

const EIP155_REFERENCE = /^[1-9][0-9]{0,31}$/;
const BIP122_REFERENCE = /^[0-9a-f]{32}$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
const SOLANA_REFERENCE = /^[1-9A-HJ-NP-Za-km-z]{32}$/;

/** The `passkey` namespace's only reference: keys on the NIST P-256 curve. */
export const PASSKEY_P256_CHAIN = 'passkey:p256';

function invalid(message: string, input: unknown, extra?: Record<string, unknown>): CryptoError {
  return new CryptoError(CryptoErrorCodes.INVALID_ADDRESS, message, { input, ...extra });
}

/** Splits and syntax-checks a CAIP-2 chain id (`namespace:reference`). */
export function parseChainId(chainId: unknown): { namespace: Namespace; reference: string } {
  if (typeof chainId !== 'string') throw invalid('chain id must be a string', chainId);
  const parts = chainId.split(':');
  if (parts.length !== 2) throw invalid('chain id must have the form namespace:reference', chainId);
  const [namespace, reference] = parts as [string, string];
  checkChain(namespace, reference, chainId);
  return { namespace: namespace as Namespace, reference };
}

function checkChain(namespace: string, reference: string, input: string): void {
  if (!NAMESPACE.test(namespace)) throw invalid('CAIP-2 namespace must be 3-8 characters of [-a-z0-9]', input);
  if (!REFERENCE.test(reference)) throw invalid('CAIP-2 reference must be 1-32 characters of [-_a-zA-Z0-9]', input);
  switch (namespace) {
    case Namespaces.EIP155:
      if (!EIP155_REFERENCE.test(reference)) throw invalid('eip155 reference must be a decimal chain id without leading zeros', input);
      return;
    case Namespaces.BIP122:
      if (!BIP122_REFERENCE.test(reference)) throw invalid('bip122 reference must be 32 lower-case hex digits of the genesis hash', input);
      bitcoinNetwork(reference);
      return;
    case Namespaces.SOLANA:
      if (!SOLANA_REFERENCE.test(reference)) throw invalid('solana reference must be the 32-character base58 genesis hash prefix', input);
      return;
    case Namespaces.PASSKEY:
      if (reference !== 'p256') throw invalid('passkey reference must be p256', input);
      return;
    default:
      throw invalid(`unsupported CAIP-2 namespace ${namespace}`, input, { supported: Object.values(Namespaces) });
  }
}

/**
 * Decodes canonical base58 of exactly `length` bytes. Re-encoding must give the input back, so
 * one key has exactly one textual address.
 */
function decodeBase58Key(address: string, length: number, input: string, what: string): Uint8Array {
  if (!BASE58.test(address)) throw invalid(`${what} must be base58`, input);
  const bytes = base58.decode(address);
  if (bytes.length !== length) throw invalid(`${what} must decode to ${length} bytes, got ${bytes.length}`, input);
  if (base58.encode(bytes) !== address) throw invalid(`${what} is not canonical base58`, input);
  return bytes;
}

/** The point a strictly encoded (RFC 8032, not ZIP-215) Ed25519 key names, or undefined when off-curve. */
function ed25519Point(key: Uint8Array): ReturnType<typeof ed25519.Point.fromBytes> | undefined {
  try {
    return ed25519.Point.fromBytes(key, false);
  } catch {
    return undefined;
  }
}

const PARSED_LIMIT = 10_000;
/**
 * Parsed account ids by input string. Parsing checks curve points (Ed25519 and P-256 keys are
 * decompressed), and one verification parses the same address several times; the result is a
 * pure function of the string, so keeping the last few thousand is safe.
 */
const parsed = new Map<string, Readonly<AccountId>>();

/**
 * Parses and normalises a CAIP-10 account id. Throws {@link CryptoError} `INVALID_ADDRESS` with
 * a message naming the rule that failed.
 */
export function parseAccountId(input: unknown): AccountId {
  if (typeof input !== 'string') throw invalid('account id must be a string', input);
  const known = parsed.get(input);
  if (known) return { ...known };
  const result = parseUncached(input);
  if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(input, Object.freeze({ ...result }));
  return result;
}

function parseUncached(input: string): AccountId {
  const parts = input.split(':');
  if (parts.length !== 3) throw invalid('account id must have the form namespace:reference:address', input);
  const [namespace, reference, rawAddress] = parts as [string, string, string];
  checkChain(namespace, reference, input);
  if (!ACCOUNT_ADDRESS.test(rawAddress)) throw invalid('CAIP-10 address must be 1-128 characters of [-.%a-zA-Z0-9]', input);
  const chainId = `${namespace}:${reference}`;
  const done = (address: string, extra: Partial<AccountId> = {}): AccountId => ({
    namespace: namespace as Namespace,
    reference,
    address,
    chainId,
    accountId: `${chainId}:${address}`,
    ...extra,
  });
  switch (namespace) {
    case Namespaces.EIP155:
      return done(normaliseEthereumAddress(rawAddress));
    case Namespaces.BIP122: {
      const parsed = parseBitcoinAddress(rawAddress, bitcoinNetwork(reference));
      return done(parsed.address, { bitcoinType: parsed.type });
    }
    case Namespaces.SOLANA: {
      const key = decodeBase58Key(rawAddress, 32, input, 'solana address');
      // Decompressed once for both checks: it is the costly part of parsing (a field square root).
      const point = ed25519Point(key);
      // Off-curve addresses (program-derived) have no private key and can never sign.
      if (!point) throw invalid('solana address is not an ed25519 public key (off-curve)', input);
      // A small-order key (e.g. the identity) lets anyone forge signatures that verify for it.
      if (point.isSmallOrder()) throw invalid('solana address is a small-order ed25519 point', input);
      return done(rawAddress, { publicKey: key });
    }
    default: {
      const key = decodeBase58Key(rawAddress, 33, input, 'passkey address');
      if ((key[0] !== 2 && key[0] !== 3) || !p256.utils.isValidPublicKey(key, true)) {
        throw invalid('passkey address is not a compressed P-256 public key', input);
      }
      return done(rawAddress, { publicKey: key });
    }
  }
}

/** The normalised CAIP-10 string of `input`; throws like {@link parseAccountId}. */
export function normaliseAccountId(input: unknown): string {
  return parseAccountId(input).accountId;
}
