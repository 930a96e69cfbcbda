import { expect } from 'chai';
import { TypedDataEncoder, Wallet, verifyMessage } from 'ethers';
import {
  encodeType,
  hashStruct,
  hex0x,
  importKey,
  parseAccountId,
  recoverBitcoinMessageSigner,
  recoverEthereumSigner,
  recoverPersonalMessageSigner,
  signBitcoinMessage,
  signEd25519,
  signPersonalMessage,
  signStatement,
  statementBytes,
  statementTypedData,
  statementTypedDataDigest,
  typeHash,
  typedDataDigest,
  verifyEd25519,
  BITCOIN_NETWORKS,
  type Statement,
  type TypedData,
} from '@kyc-ledger/crypto';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));
const MAINNET = BITCOIN_NETWORKS['000000000019d6689c085ae165831e93'];

describe('crypto: cross-checks against independent vectors', () => {
  describe('EIP-191 personal_sign', () => {
    // Published in the web3.js documentation for web3.eth.accounts.sign('Some data', key).
    const key = '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
    const signature =
      '0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c';

    it('reproduces the web3.js documentation vector', () => {
      expect(signPersonalMessage(utf8('Some data'), hex(key))).to.equal(signature);
      expect(recoverPersonalMessageSigner(utf8('Some data'), signature)).to.deep.equal({ ok: true, address: '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23' });
    });

    it('agrees with ethers on a statement signature', () => {
      const eth = importKey('secp256k1', key);
      const stmt: Statement = {
        domain: 'kyc-ledger',
        version: 1,
        network: 'kyc-ledger/kyc',
        chain: 'eip155:1',
        address: eth.accountId,
        purpose: 'officer-approval',
        asset: 'bond-2030',
        registrationDigest: '00'.repeat(32),
      };
      const env = signStatement(stmt, eth, 'eip191');
      expect(new Wallet(`0x${key}`).signMessageSync(statementBytes(stmt))).to.equal(env.signature);
      expect(verifyMessage(statementBytes(stmt), env.signature)).to.equal(parseAccountId(eth.accountId).address);
    });
  });

  describe('EIP-712', () => {
    // The "Mail" example of the EIP-712 specification, with its published hashes and signature.
    const mail: TypedData = {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
        Person: [
          { name: 'name', type: 'string' },
          { name: 'wallet', type: 'address' },
        ],
        Mail: [
          { name: 'from', type: 'Person' },
          { name: 'to', type: 'Person' },
          { name: 'contents', type: 'string' },
        ],
      },
      primaryType: 'Mail',
      domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
      message: {
        from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
        to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
        contents: 'Hello, Bob!',
      },
    };

    it('reproduces the specification hashes of the Mail example', () => {
      expect(encodeType(mail.types, 'Mail')).to.equal('Mail(Person from,Person to,string contents)Person(string name,address wallet)');
      expect(hex0x(typeHash(mail.types, 'Mail'))).to.equal('0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2');
      expect(hex0x(hashStruct(mail.types, 'Mail', mail.message))).to.equal('0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e');
      expect(hex0x(hashStruct(mail.types, 'EIP712Domain', mail.domain))).to.equal('0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f');
      expect(hex0x(typedDataDigest(mail))).to.equal('0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2');
    });

    it('gives the same hashes on a second request after a caller changed the bytes it was given', () => {
      // Type signatures and short strings are hashed once and remembered; each caller gets a copy.
      typeHash(mail.types, 'Mail').fill(0);
      typeHash(mail.types, 'EIP712Domain').fill(0);
      expect(hex0x(typeHash(mail.types, 'Mail'))).to.equal('0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2');
      expect(hex0x(typedDataDigest(mail))).to.equal('0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2');
    });

    it('recovers the specification signature of the Mail example (key keccak256("cow"))', () => {
      const r = '4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d';
      const s = '07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562';
      expect(recoverEthereumSigner(typedDataDigest(mail), `0x${r}${s}1c`)).to.deep.equal({ ok: true, address: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' });
    });

    it('agrees with ethers on the statement typed data, digest and signature', async () => {
      const key = importKey('secp256k1', '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318', { chain: 'eip155:11155111' });
      const stmt: Statement = {
        domain: 'kyc-ledger',
        version: 1,
        network: 'kyc-ledger/kyc',
        chain: 'eip155:11155111',
        address: key.accountId,
        purpose: 'attestation-request',
        certifier: 'CertifierMSP',
        claimTopics: ['kyc.basic'],
        commitmentRoot: '11'.repeat(32),
      };
      const typed = statementTypedData(stmt);
      // ethers takes the struct types without EIP712Domain, as mutable arrays.
      const types = Object.fromEntries(
        Object.entries(typed.types)
          .filter(([name]) => name !== 'EIP712Domain')
          .map(([name, fields]) => [name, [...fields]]),
      );
      expect(TypedDataEncoder.hash(typed.domain, types, typed.message)).to.equal(hex0x(statementTypedDataDigest(stmt)));
      const theirs = await new Wallet(`0x${key.privateKey}`).signTypedData(typed.domain, types, typed.message);
      expect(signStatement(stmt, key, 'eip712').signature).to.equal(theirs);
    });
  });

  describe('BIP-137 Bitcoin signed message', () => {
    // Published in the bitcoinjs-message README (key 5KYZdUEo…/L4rK1yDt…, the same secret).
    const message = utf8('This is an example of a signed message.');

    it('recovers the README signatures to their addresses', () => {
      const network = MAINNET as NonNullable<typeof MAINNET>;
      expect(recoverBitcoinMessageSigner(message, 'G9L5yLFjti0QTHhPyFrZCT1V/MMnBtXKmoiKDZ78NDBjERki6ZTQZdSMCtkgoNmp17By9ItJr8o7ChX0XxY91nk=', network)).to.deep.equal({
        ok: true,
        address: '1HZwkjkeaoZfTSaJxDw6aKkxp45agDiEzN',
      });
      expect(recoverBitcoinMessageSigner(message, 'H9L5yLFjti0QTHhPyFrZCT1V/MMnBtXKmoiKDZ78NDBjERki6ZTQZdSMCtkgoNmp17By9ItJr8o7ChX0XxY91nk=', network)).to.deep.equal({
        ok: true,
        address: '1F3sAm6ZtwLAUnj7d38pGFxtP3RVEvtsbV',
      });
      // Printed without base64 padding in the same README; a pre-low-S (high-S) signature.
      expect(recoverBitcoinMessageSigner(message, 'HJLQlDWLyb1Ef8bQKEISzFbDAKctIlaqOpGbrk3YVtRsjmC61lpE5ErkPRUFtDKtx98vHFGUWlFhsh3DiW6N0rE', network)).to.deep.equal({
        ok: true,
        address: '1HZwkjkeaoZfTSaJxDw6aKkxp45agDiEzN',
      });
    });

    it('reproduces the compressed README signature byte for byte (RFC 6979)', () => {
      const wifKey = importKey('bitcoin-p2pkh', WIF_L4RK1_HEX);
      expect(wifKey.accountId).to.equal('bip122:000000000019d6689c085ae165831e93:1F3sAm6ZtwLAUnj7d38pGFxtP3RVEvtsbV');
      expect(signBitcoinMessage(message, hex(WIF_L4RK1_HEX), 'p2pkh')).to.equal('H9L5yLFjti0QTHhPyFrZCT1V/MMnBtXKmoiKDZ78NDBjERki6ZTQZdSMCtkgoNmp17By9ItJr8o7ChX0XxY91nk=');
    });
  });

  describe('Ed25519', () => {
    // RFC 8032 §7.1, TEST 1 (empty message).
    const secret = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const publicKey = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const signature =
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

    it('reproduces RFC 8032 test 1', () => {
      expect(signEd25519(new Uint8Array(0), secret)).to.equal(signature);
      expect(verifyEd25519(new Uint8Array(0), signature, publicKey)).to.deep.equal({ ok: true });
    });
  });
});

/** Secret of WIF L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1, decoded in the test below. */
const WIF_L4RK1_HEX = wifToHex('L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1');

/** Decodes a compressed-key WIF (base58: 0x80 ‖ key ‖ 0x01 ‖ checksum) without checking the checksum. */
function wifToHex(wif: string): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = 0n;
  for (const c of wif) n = n * 58n + BigInt(alphabet.indexOf(c));
  const bytes = n.toString(16).padStart(76, '0');
  return bytes.slice(2, 66);
}
