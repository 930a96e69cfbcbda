import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check as base58checkFactory, bech32, bech32m } from '@scure/base';
import { concatBytes } from './bytes.js';
import { CryptoError, CryptoErrorCodes } from './cryptoError.js';

const base58check = base58checkFactory(sha256);

/** Address types a BIP-137 signature header can name. */
export type BitcoinAddressType = 'p2pkh' | 'p2sh-p2wpkh' | 'p2wpkh';

/** Version bytes and bech32 prefix of one Bitcoin network. */
export interface BitcoinNetwork {
  readonly name: string;
  readonly p2pkh: number;
  readonly p2sh: number;
  readonly hrp: string;
}

const MAINNET: BitcoinNetwork = { name: 'mainnet', p2pkh: 0x00, p2sh: 0x05, hrp: 'bc' };
const TESTNET: BitcoinNetwork = { name: 'testnet', p2pkh: 0x6f, p2sh: 0xc4, hrp: 'tb' };
const REGTEST: BitcoinNetwork = { name: 'regtest', p2pkh: 0x6f, p2sh: 0xc4, hrp: 'bcrt' };

/**
 * CAIP-2 `bip122` references (first 32 hex digits of the genesis block hash) we accept. Other
 * bip122 chains (Litecoin, …) use other version bytes and are rejected rather than guessed.
 */
export const BITCOIN_NETWORKS: Readonly<Record<string, BitcoinNetwork>> = {
  '000000000019d6689c085ae165831e93': MAINNET,
  '000000000933ea01ad0ee984209779ba': { ...TESTNET, name: 'testnet3' },
  '00000000da84f2bafbbc53dee25a72ae': { ...TESTNET, name: 'testnet4' },
  '00000008819873e925422c1ff0f99f7c': { ...TESTNET, name: 'signet' },
  '0f9188f13cb7b2c71f2a335e3a4fc328': REGTEST,
};

/** Decoded form of a Bitcoin address: its type and the 20-byte hash it commits to. */
export interface BitcoinAddress {
  type: BitcoinAddressType;
  hash: Uint8Array;
  /** Normalised text form (bech32 lower-cased). */
  address: string;
}

function invalid(message: string, address: string): CryptoError {
  return new CryptoError(CryptoErrorCodes.INVALID_ADDRESS, message, { address });
}

/** Looks up the network of a bip122 reference; throws INVALID_ADDRESS when unknown. */
export function bitcoinNetwork(reference: string): BitcoinNetwork {
  const network = BITCOIN_NETWORKS[reference];
  if (!network) {
    throw new CryptoError(CryptoErrorCodes.INVALID_ADDRESS, `unsupported bip122 chain reference ${reference}`, {
      reference,
      supported: Object.keys(BITCOIN_NETWORKS),
    });
  }
  return network;
}

/**
 * Parses a P2PKH, P2SH (taken as P2SH-P2WPKH: the only P2SH form a single key signs) or P2WPKH
 * address of `network`, checking its checksum. Other witness programs are rejected by name.
 */
export function parseBitcoinAddress(address: string, network: BitcoinNetwork): BitcoinAddress {
  if (address.toLowerCase().startsWith(`${network.hrp}1`)) return parseSegwit(address, network);
  let payload: Uint8Array;
  try {
    payload = base58check.decode(address);
  } catch {
    throw invalid(`not a valid base58check or ${network.hrp}1 bech32 address for bitcoin ${network.name}`, address);
  }
  if (payload.length !== 21) throw invalid('base58check payload must be 21 bytes', address);
  const version = payload[0];
  const hash = payload.subarray(1);
  if (version === network.p2pkh) return { type: 'p2pkh', hash, address };
  if (version === network.p2sh) return { type: 'p2sh-p2wpkh', hash, address };
  throw invalid(`address version byte 0x${(version ?? 0).toString(16)} is not valid on bitcoin ${network.name}`, address);
}

function parseSegwit(address: string, network: BitcoinNetwork): BitcoinAddress {
  const decoded = bech32.decodeUnsafe(address);
  if (!decoded) {
    // Taproot and later witness versions use bech32m (BIP-350): name them instead of "bad checksum".
    if (bech32m.decodeUnsafe(address)) throw invalid('only segwit v0 (P2WPKH) addresses are supported; this is a bech32m (v1+) address', address);
    throw invalid('invalid bech32 address (checksum, characters or mixed case)', address);
  }
  if (decoded.prefix !== network.hrp) throw invalid(`bech32 prefix must be ${network.hrp}`, address);
  const [version, ...program] = decoded.words;
  if (version !== 0) throw invalid('only segwit v0 (P2WPKH) addresses are supported; v1+ use bech32m', address);
  const hash = bech32.fromWordsUnsafe(program);
  if (!hash) throw invalid('invalid bech32 witness program padding', address);
  if (hash.length === 32) throw invalid('P2WSH addresses cannot sign messages; use a P2WPKH address', address);
  if (hash.length !== 20) throw invalid('P2WPKH witness program must be 20 bytes', address);
  return { type: 'p2wpkh', hash, address: address.toLowerCase() };
}

/** RIPEMD160(SHA256(x)), Bitcoin's key and script hash. */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}

/**
 * Encodes the address of `type` for a public key. P2PKH hashes the key in the encoding given
 * (compressed or not); the segwit types require a compressed key, as consensus does.
 */
export function bitcoinAddressFromPublicKey(publicKey: Uint8Array, type: BitcoinAddressType, network: BitcoinNetwork): string {
  secp256k1.Point.fromBytes(publicKey); // validates the point
  if (type !== 'p2pkh' && publicKey.length !== 33) {
    throw new CryptoError(CryptoErrorCodes.INVALID_KEY, 'segwit addresses need a compressed public key');
  }
  const keyHash = hash160(publicKey);
  if (type === 'p2pkh') return base58check.encode(concatBytes(Uint8Array.of(network.p2pkh), keyHash));
  if (type === 'p2wpkh') return bech32.encode(network.hrp, [0, ...bech32.toWords(keyHash)]);
  // P2SH-P2WPKH: the redeem script is `OP_0 <20-byte key hash>`.
  const redeemScript = concatBytes(Uint8Array.of(0x00, 0x14), keyHash);
  return base58check.encode(concatBytes(Uint8Array.of(network.p2sh), hash160(redeemScript)));
}
