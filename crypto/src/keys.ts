import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { base58 } from '@scure/base';
import { bitcoinAddressFromPublicKey, bitcoinNetwork } from './bitcoinAddress.js';
import { bytesToHex, decodeHex } from './bytes.js';
import { Namespaces, parseChainId, type Namespace } from './caip10.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';
import { ethereumAddressFromPublicKey } from './ethereumAddress.js';
import { SignatureSchemes, type SignatureScheme } from './signatureEnvelope.js';

/** Key kinds a wallet can hold. The bitcoin kinds are secp256k1 keys with a fixed address type. */
export const KeyKinds = ['secp256k1', 'ed25519', 'p256', 'bitcoin-p2wpkh', 'bitcoin-p2pkh'] as const;

/** One of {@link KeyKinds}. */
export type KeyKind = (typeof KeyKinds)[number];

/** A wallet key pair with its account. Holds the private key: never log or send it. */
export interface Key {
  kind: KeyKind;
  /** 32 bytes hex (an ed25519 seed for `ed25519`). */
  privateKey: string;
  /** Compressed SEC1 (33 bytes) for ECDSA kinds, 32 bytes for ed25519; hex. */
  publicKey: string;
  /** Normalised CAIP-10 account id. */
  accountId: string;
  defaultScheme: SignatureScheme;
}

/** Options of {@link generateKey} / {@link importKey}. */
export interface KeyOptions {
  /** CAIP-2 chain of the account; defaults per kind (Ethereum mainnet, Bitcoin mainnet, Solana mainnet, passkey:p256). */
  chain?: string;
}

interface KindInfo {
  namespace: Namespace;
  defaultChain: string;
  defaultScheme: SignatureScheme;
  schemes: readonly SignatureScheme[];
}

const BITCOIN_MAINNET = 'bip122:000000000019d6689c085ae165831e93';

/** Chain, default scheme and allowed schemes of each key kind. */
export const KEY_KINDS: Readonly<Record<KeyKind, KindInfo>> = {
  secp256k1: {
    namespace: Namespaces.EIP155,
    defaultChain: 'eip155:1',
    defaultScheme: SignatureSchemes.EIP712,
    schemes: [SignatureSchemes.EIP712, SignatureSchemes.EIP191],
  },
  ed25519: {
    namespace: Namespaces.SOLANA,
    defaultChain: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
    defaultScheme: SignatureSchemes.ED25519,
    schemes: [SignatureSchemes.ED25519],
  },
  p256: {
    namespace: Namespaces.PASSKEY,
    defaultChain: 'passkey:p256',
    defaultScheme: SignatureSchemes.P256_WEBAUTHN,
    schemes: [SignatureSchemes.P256_WEBAUTHN],
  },
  'bitcoin-p2wpkh': {
    namespace: Namespaces.BIP122,
    defaultChain: BITCOIN_MAINNET,
    defaultScheme: SignatureSchemes.BIP137,
    schemes: [SignatureSchemes.BIP137],
  },
  'bitcoin-p2pkh': {
    namespace: Namespaces.BIP122,
    defaultChain: BITCOIN_MAINNET,
    defaultScheme: SignatureSchemes.BIP137,
    schemes: [SignatureSchemes.BIP137],
  },
};

function kindInfo(kind: unknown): KindInfo {
  if (typeof kind !== 'string' || !(KeyKinds as readonly string[]).includes(kind)) {
    throw new CryptoError(CryptoErrorCodes.UNSUPPORTED_KEY_KIND, `unsupported key kind ${String(kind)}`, { supported: KeyKinds });
  }
  return KEY_KINDS[kind as KeyKind];
}

function chainFor(info: KindInfo, kind: KeyKind, chain: string | undefined): { chainId: string; reference: string } {
  const chainId = chain ?? info.defaultChain;
  const parsed = parseChainId(chainId);
  if (parsed.namespace !== info.namespace) {
    throw new CryptoError(CryptoErrorCodes.INVALID_ADDRESS, `a ${kind} key needs a ${info.namespace} chain, got ${chainId}`);
  }
  return { chainId, reference: parsed.reference };
}

/** The CAIP-10 account of a public key (bytes as in {@link Key.publicKey}) on `chain`. */
export function accountIdFromPublicKey(kind: KeyKind, publicKey: Uint8Array, chain?: string): string {
  const info = kindInfo(kind);
  const { chainId, reference } = chainFor(info, kind, chain);
  switch (kind) {
    case 'secp256k1':
      return `${chainId}:${ethereumAddressFromPublicKey(publicKey)}`;
    case 'bitcoin-p2wpkh':
      return `${chainId}:${bitcoinAddressFromPublicKey(publicKey, 'p2wpkh', bitcoinNetwork(reference))}`;
    case 'bitcoin-p2pkh':
      return `${chainId}:${bitcoinAddressFromPublicKey(publicKey, 'p2pkh', bitcoinNetwork(reference))}`;
    case 'ed25519':
    case 'p256':
      return `${chainId}:${base58.encode(publicKey)}`;
  }
}

function publicKeyOf(kind: KeyKind, privateKey: Uint8Array): Uint8Array {
  if (kind === 'ed25519') return ed25519.getPublicKey(privateKey);
  const curve = kind === 'p256' ? p256 : secp256k1;
  if (!curve.utils.isValidSecretKey(privateKey)) {
    throw new CryptoError(CryptoErrorCodes.INVALID_PRIVATE_KEY, 'private key is not a valid scalar for its curve');
  }
  return curve.getPublicKey(privateKey, true);
}

/** Builds a {@link Key} from a 32-byte private key given as hex. */
export function importKey(kind: KeyKind, privateKeyHex: string, opts: KeyOptions = {}): Key {
  const info = kindInfo(kind);
  let privateKey: Uint8Array;
  try {
    privateKey = decodeHex(privateKeyHex, 'private key', 32, true);
  } catch (e) {
    throw new CryptoError(CryptoErrorCodes.INVALID_PRIVATE_KEY, 'private key must be 32 bytes of hex', { cause: (e as Error).message });
  }
  const publicKey = publicKeyOf(kind, privateKey);
  return {
    kind,
    privateKey: bytesToHex(privateKey),
    publicKey: bytesToHex(publicKey),
    accountId: accountIdFromPublicKey(kind, publicKey, opts.chain),
    defaultScheme: info.defaultScheme,
  };
}

/** Generates a new key from the platform CSPRNG. The only random path besides salt generation. */
export function generateKey(kind: KeyKind, opts: KeyOptions = {}): Key {
  kindInfo(kind);
  const secret =
    kind === 'ed25519' ? ed25519.utils.randomSecretKey() : kind === 'p256' ? p256.utils.randomSecretKey() : secp256k1.utils.randomSecretKey();
  return importKey(kind, bytesToHex(secret), opts);
}
