import { expect } from 'chai';
import { attestationIdOf, attestationRequestStatement, generateKey, isCryptoError, signStatement, verifyStatementSignature } from '@kyc-ledger/crypto';
import { attestationId } from '@kyc-ledger/chaincode';

describe('crypto: the attestation request both wallets sign', function () {
  it('gives the id the chaincode gives the attestation', function () {
    for (const kind of ['secp256k1', 'ed25519', 'p256'] as const) {
      const key = generateKey(kind);
      const root = 'c0'.repeat(32);
      expect(attestationIdOf('Certifier1MSP', key.accountId, root)).to.equal(attestationId('Certifier1MSP', key.accountId, root));
      expect(attestationIdOf('Certifier2MSP', key.accountId, root)).to.not.equal(attestationIdOf('Certifier1MSP', key.accountId, root));
    }
  });

  it('builds a valid statement with sorted, unique claim topics that verifies once signed', function () {
    const key = generateKey('secp256k1');
    const statement = attestationRequestStatement({ address: key.accountId, network: 'kyc-ledger/kyc', certifier: 'Certifier1MSP', claimTopics: ['identity', 'aml-screening', 'identity'], commitmentRoot: 'ab'.repeat(32) });
    expect(statement).to.include({ purpose: 'attestation-request', address: key.accountId, certifier: 'Certifier1MSP' });
    expect(statement.claimTopics).to.deep.equal(['aml-screening', 'identity']);
    const result = verifyStatementSignature(statement, signStatement(statement, key));
    expect(result, JSON.stringify(result)).to.deep.equal({ ok: true, address: key.accountId });
  });

  it('refuses what is not a statement (no address, no claim topic) with a coded error', function () {
    const key = generateKey('ed25519');
    for (const bad of [{ address: 'not-an-account' }, { claimTopics: [] as string[] }, { commitmentRoot: 'xyz' }]) {
      try {
        attestationRequestStatement({ address: key.accountId, network: 'kyc-ledger/kyc', certifier: 'Certifier1MSP', claimTopics: ['identity'], commitmentRoot: 'ab'.repeat(32), ...bad });
        expect.fail(`accepted ${JSON.stringify(bad)}`);
      } catch (e) {
        expect(isCryptoError(e), String(e)).to.equal(true);
      }
    }
  });
});
