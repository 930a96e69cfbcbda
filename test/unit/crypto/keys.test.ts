import { cryptoErrorCode } from '../../support/cryptoErrorCode';
import { expect } from 'chai';
import {
  accountIdFromPublicKey,
  CryptoError,
  generateKey,
  importKey,
  KeyKinds,
  parseAccountId,
  signStatement,
  verifyStatementSignature,
  type Statement,
} from '@kyc-ledger/crypto';

const code = cryptoErrorCode;

describe('crypto: keys', () => {
  it('generates keys of every kind whose signatures verify with their default scheme', () => {
    for (const kind of KeyKinds) {
      const key = generateKey(kind);
      const account = parseAccountId(key.accountId);
      expect(account.accountId, kind).to.equal(key.accountId);
      const stmt: Statement = {
        domain: 'kyc-ledger',
        version: 1,
        network: 'kyc-ledger/kyc',
        chain: account.chainId,
        address: key.accountId,
        purpose: 'officer-approval',
        asset: 'bond-2030',
        registrationDigest: 'cd'.repeat(32),
      };
      expect(verifyStatementSignature(stmt, signStatement(stmt, key)), kind).to.deep.equal({ ok: true, address: key.accountId });
    }
  });

  it('uses the documented default chains and honours the chain option', () => {
    expect(generateKey('secp256k1').accountId).to.match(/^eip155:1:0x/);
    expect(generateKey('secp256k1', { chain: 'eip155:137' }).accountId).to.match(/^eip155:137:0x/);
    expect(generateKey('bitcoin-p2wpkh').accountId).to.match(/^bip122:000000000019d6689c085ae165831e93:bc1q/);
    expect(generateKey('bitcoin-p2pkh').accountId).to.match(/^bip122:000000000019d6689c085ae165831e93:1/);
    expect(generateKey('ed25519').accountId).to.match(/^solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp:/);
    expect(generateKey('p256').accountId).to.match(/^passkey:p256:/);
    expect(generateKey('secp256k1').defaultScheme).to.equal('eip712');
  });

  it('imports deterministically and derives the same account from the public key', () => {
    const a = importKey('secp256k1', `0x${'01'.repeat(32)}`);
    const b = importKey('secp256k1', '01'.repeat(32));
    expect(a).to.deep.equal(b);
    expect(accountIdFromPublicKey('secp256k1', Buffer.from(a.publicKey, 'hex'))).to.equal(a.accountId);
    // Private key 1 is the generator; its Ethereum address is well known.
    expect(importKey('secp256k1', `${'00'.repeat(31)}01`).accountId).to.equal('eip155:1:0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf');
  });

  it('rejects bad private keys, kinds and chains', () => {
    expect(code(() => importKey('secp256k1', '00'.repeat(32)))).to.equal('INVALID_PRIVATE_KEY');
    expect(code(() => importKey('secp256k1', 'ff'.repeat(32)))).to.equal('INVALID_PRIVATE_KEY');
    expect(code(() => importKey('p256', 'abc'))).to.equal('INVALID_PRIVATE_KEY');
    expect(code(() => importKey('rsa' as never, '01'.repeat(32)))).to.equal('UNSUPPORTED_KEY_KIND');
    expect(code(() => generateKey('ed25519', { chain: 'eip155:1' }))).to.equal('INVALID_ADDRESS');
    expect(code(() => generateKey('bitcoin-p2wpkh', { chain: 'bip122:12a765e31ffd4059bada1e25190f6e98' }))).to.equal('INVALID_ADDRESS');
  });
});
