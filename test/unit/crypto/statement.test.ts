import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  CryptoError,
  importKey,
  Purposes,
  sortedUnique,
  statementBytes,
  statementDigest,
  validateStatement,
  type Statement,
} from '@kyc-ledger/crypto';

const eth = importKey('secp256k1', '11'.repeat(32));
const sol = importKey('ed25519', '22'.repeat(32));

const consent: Statement = {
  domain: 'kyc-ledger',
  version: 1,
  purpose: 'consent',
  network: 'kyc-ledger/kyc',
  chain: 'eip155:1',
  address: eth.accountId,
  sessionId: 'sess-1',
  bank: 'Bank1MSP',
  fields: ['birthDate', 'nationality'],
  attestationId: 'att-1',
  expiresAt: '2030-01-01T00:00:00Z',
};

function code(value: unknown, expect_?: Parameters<typeof validateStatement>[1]): string | undefined {
  try {
    validateStatement(value, expect_);
  } catch (e) {
    expect(e).to.be.instanceOf(CryptoError);
    return (e as CryptoError).code;
  }
  return undefined;
}

describe('crypto: statements', () => {
  it('encodes as RFC 8785 canonical JSON and hashes with SHA-256', () => {
    const text = Buffer.from(statementBytes(consent)).toString('utf8');
    expect(text.startsWith('{"address":"eip155:1:0x')).to.equal(true);
    expect(text).to.not.contain(' ');
    const reordered = Object.fromEntries(Object.entries(consent).reverse()) as Statement;
    expect(statementBytes(reordered)).to.deep.equal(statementBytes(consent));
    expect(statementDigest(consent)).to.equal(createHash('sha256').update(text).digest('hex'));
  });

  it('accepts every purpose', () => {
    expect(Object.values(Purposes)).to.have.length(5);
    expect(code(consent)).to.equal(undefined);
    const { attestationId: _id, ...session } = consent;
    expect(code({ ...session, purpose: 'session' })).to.equal(undefined);
    const { sessionId: _s, bank: _b, fields: _f, attestationId: _a, expiresAt: _e, ...base } = consent;
    expect(code({ ...base, purpose: 'attestation-request', certifier: 'CertMSP', claimTopics: ['kyc.basic'], commitmentRoot: 'ab'.repeat(32) })).to.equal(undefined);
    expect(code({ ...base, purpose: 'officer-approval', asset: 'bond', registrationDigest: 'ab'.repeat(32) })).to.equal(undefined);
    expect(code({ ...base, purpose: 'key-rotation', oldAddress: eth.accountId, newAddress: sol.accountId, attestationId: 'att-1' })).to.equal(undefined);
  });

  it('rejects wrong domain, version, unknown purposes and unknown keys', () => {
    expect(code({ ...consent, domain: 'other' })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, version: 2 })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, purpose: 'transfer' })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, note: 'hi' })).to.equal('INVALID_STATEMENT');
    expect(code('{}')).to.equal('INVALID_STATEMENT');
  });

  it('requires sorted, duplicate-free sets and real UTC timestamps', () => {
    expect(code({ ...consent, fields: ['nationality', 'birthDate'] })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, fields: ['birthDate', 'birthDate'] })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, fields: [] })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, expiresAt: '2030-02-30T00:00:00Z' })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, expiresAt: '2030-01-01T00:00:00+01:00' })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, expiresAt: '2030-01-01T24:00:00Z' })).to.equal('INVALID_STATEMENT');
    expect(sortedUnique(['nationality', 'birthDate', 'nationality'])).to.deep.equal(['birthDate', 'nationality']);
  });

  it('requires a normalised address on the statement chain', () => {
    expect(code({ ...consent, address: eth.accountId.toLowerCase() })).to.equal('INVALID_STATEMENT');
    expect(code({ ...consent, address: 'eip155:1:0x1234' })).to.equal('INVALID_ADDRESS');
    expect(code({ ...consent, chain: 'eip155:5' })).to.equal('CHAIN_MISMATCH');
  });

  it('checks the expected network and purpose', () => {
    expect(code(consent, { network: 'kyc-ledger/kyc', purpose: 'consent' })).to.equal(undefined);
    expect(code(consent, { network: 'kyc-ledger/other' })).to.equal('NETWORK_MISMATCH');
    expect(code(consent, { purpose: 'session' })).to.equal('PURPOSE_MISMATCH');
    expect(code({ ...consent, network: 'Kyc Ledger' })).to.equal('INVALID_STATEMENT');
  });

  it('requires key rotations between two different addresses, signed by one of them', () => {
    const { sessionId: _s, bank: _b, fields: _f, attestationId: _a, expiresAt: _e, ...base } = consent;
    const rotation = { ...base, purpose: 'key-rotation', oldAddress: eth.accountId, newAddress: sol.accountId, attestationId: 'att-1' };
    expect(code({ ...rotation, newAddress: eth.accountId })).to.equal('INVALID_STATEMENT');
    const third = importKey('secp256k1', '33'.repeat(32)).accountId;
    expect(code({ ...rotation, oldAddress: third })).to.equal('INVALID_STATEMENT');
    expect(code({ ...rotation, newAddress: sol.accountId.replace('solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp', 'solana:x') })).to.equal('INVALID_ADDRESS');
  });
});
