import { expect } from 'chai';
import { CryptoError, normaliseAccountId, parseAccountId, parseChainId } from '@kyc-ledger/crypto';

const BTC = 'bip122:000000000019d6689c085ae165831e93';
const BTC_TEST = 'bip122:000000000933ea01ad0ee984209779ba';
const SOL = 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp';

function rejects(input: unknown, message: RegExp): void {
  let error: unknown;
  try {
    parseAccountId(input);
  } catch (e) {
    error = e;
  }
  expect(error, `${String(input)} should be rejected`).to.be.instanceOf(CryptoError);
  expect((error as CryptoError).code).to.equal('INVALID_ADDRESS');
  expect((error as CryptoError).message).to.match(message);
}

describe('crypto: CAIP-10 account ids', () => {
  describe('eip155', () => {
    it('normalises lower-case and upper-case addresses to EIP-55 (spec examples)', () => {
      for (const checksummed of [
        '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
        '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
        '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
        '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
      ]) {
        const lower = `eip155:1:${checksummed.toLowerCase()}`;
        const upper = `eip155:1:0x${checksummed.slice(2).toUpperCase()}`;
        expect(normaliseAccountId(lower)).to.equal(`eip155:1:${checksummed}`);
        expect(normaliseAccountId(upper)).to.equal(`eip155:1:${checksummed}`);
        expect(normaliseAccountId(`eip155:1:${checksummed}`)).to.equal(`eip155:1:${checksummed}`);
      }
    });

    it('returns the parts', () => {
      const a = parseAccountId('eip155:137:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed');
      expect(a).to.include({ namespace: 'eip155', reference: '137', chainId: 'eip155:137', address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' });
      expect(a.accountId).to.equal('eip155:137:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
    });

    it('rejects a wrong mixed-case checksum', () => {
      rejects('eip155:1:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', /checksum/);
    });

    it('rejects bad lengths, prefixes and chain ids', () => {
      rejects('eip155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea', /40 hex/);
      rejects('eip155:1:5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', /40 hex/);
      rejects('eip155:01:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', /leading zeros/);
      rejects('eip155:mainnet:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', /decimal/);
    });
  });

  describe('bip122', () => {
    it('accepts P2PKH, P2SH and P2WPKH mainnet addresses', () => {
      expect(parseAccountId(`${BTC}:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2`).bitcoinType).to.equal('p2pkh');
      expect(parseAccountId(`${BTC}:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy`).bitcoinType).to.equal('p2sh-p2wpkh');
      expect(parseAccountId(`${BTC}:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4`).bitcoinType).to.equal('p2wpkh');
    });

    it('lower-cases upper-case bech32 (BIP-173 example)', () => {
      expect(normaliseAccountId(`${BTC}:BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4`)).to.equal(`${BTC}:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4`);
    });

    it('accepts testnet addresses on testnet only', () => {
      expect(parseAccountId(`${BTC_TEST}:mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn`).bitcoinType).to.equal('p2pkh');
      expect(parseAccountId(`${BTC_TEST}:tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx`).bitcoinType).to.equal('p2wpkh');
      rejects(`${BTC}:mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn`, /version byte/);
      rejects(`${BTC_TEST}:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2`, /version byte/);
      rejects(`${BTC}:tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx`, /base58check|bech32/);
    });

    it('rejects bad checksums', () => {
      rejects(`${BTC}:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3`, /base58check/);
      rejects(`${BTC}:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5`, /bech32/);
      rejects(`${BTC}:bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4`, /bech32/);
    });

    it('rejects P2WSH, taproot, unknown chains and upper-case references', () => {
      rejects(`${BTC}:bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3`, /P2WSH/);
      rejects(`${BTC}:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0`, /bech32m/);
      rejects('bip122:12a765e31ffd4059bada1e25190f6e98:LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9', /unsupported bip122/);
      rejects('bip122:000000000019D6689C085AE165831E93:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', /lower-case hex/);
    });
  });

  describe('solana', () => {
    const key = '9fijMemJYwXS5QD85Qxsq7iKqvSebgb6LvpGftgkeigk';

    it('accepts a base58 ed25519 public key and exposes it', () => {
      const a = parseAccountId(`${SOL}:${key}`);
      expect(a.publicKey).to.have.length(32);
      expect(a.chainId).to.equal(SOL);
    });

    it('rejects wrong lengths, non-base58 and off-curve keys', () => {
      rejects(`${SOL}:${key.slice(0, -2)}`, /32 bytes/);
      rejects(`${SOL}:${key.slice(0, -1)}0`, /base58/);
      rejects(`${SOL}:8opHzTAnfzRpPEx21XtnrVTX28YQuCpAjcn1PczScKh`, /off-curve/);
      rejects(`${SOL}:4uQeVj5tqViQh7yWWGStvkEG1Zmhx6uasJtWCJziofM`, /small-order/);
      rejects('solana:mainnet:9fijMemJYwXS5QD85Qxsq7iKqvSebgb6LvpGftgkeigk', /32-character base58/);
    });
  });

  describe('passkey', () => {
    it('accepts a compressed P-256 key and rejects others', () => {
      const ok = 'passkey:p256:oDad6LQyMapLKMWZCtg7Qjht3rYEStirjyt5YkT4d2gF';
      expect(parseAccountId(ok).publicKey).to.have.length(33);
      rejects('passkey:p384:oDad6LQyMapLKMWZCtg7Qjht3rYEStirjyt5YkT4d2gF', /p256/);
      rejects('passkey:p256:9fijMemJYwXS5QD85Qxsq7iKqvSebgb6LvpGftgkeigk', /33 bytes/);
    });
  });

  describe('generic CAIP rules', () => {
    it('rejects malformed ids with precise messages', () => {
      rejects(42, /string/);
      rejects('eip155:1', /namespace:reference:address/);
      rejects('eip155:1:0xab:cd', /namespace:reference:address/);
      rejects('EIP155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', /namespace/);
      rejects('cosmos:cosmoshub-4:cosmos1abc', /unsupported CAIP-2 namespace/);
      rejects('eip155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea#d', /CAIP-10 address/);
      rejects(`eip155:${'1'.repeat(33)}:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed`, /1-32/);
    });

    it('parses chain ids', () => {
      expect(parseChainId('eip155:1')).to.deep.equal({ namespace: 'eip155', reference: '1' });
      expect(() => parseChainId('eip155')).to.throw(CryptoError, /namespace:reference/);
    });
  });
});
