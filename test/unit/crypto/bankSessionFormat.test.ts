import { expect } from 'chai';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { canonicalize } from 'json-canonicalize';
import * as nodeSession from '@kyc-ledger/crypto';
import * as format from '@kyc-ledger/crypto/dist/bankSessionFormat.js';
import { createTestBank } from '../../support/bankPki';

describe('crypto: the browser-safe bank session module', function () {
  this.timeout(60_000);

  it('bundles for a browser: it reaches no Node built-in', function () {
    const entry = require.resolve('@kyc-ledger/crypto/dist/bankSessionFormat.js');
    const result = buildSync({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((f) => f.endsWith(`${path.sep}bankSession.js`) || f.endsWith('/bankSession.js'))).to.equal(false);
    expect(inputs.filter((f) => f.startsWith('node:'))).to.deep.equal([]);
  });

  it('is what bankSession re-exports: same schema, URI and consent statement; the signing bytes equal, as a Buffer there', function () {
    const bank = createTestBank('bank1.example.com');
    const session = nodeSession.createBankSession(
      { network: 'kyc-ledger/kyc', bank: { mspId: 'Bank1MSP', name: 'Bank One' }, fields: ['givenName', 'familyName'], ttlSeconds: 300, submitUrl: 'http://127.0.0.1:1/v1/sessions/submissions' },
      bank.user,
    );
    for (const name of ['BankSessionSchema', 'decodeSessionUri', 'encodeSessionUri', 'buildConsentStatement', 'parseBankSession', 'WalletSubmissionSchema', 'BankSessionError', 'SESSION_URI_PREFIX'] as const) {
      expect(nodeSession[name], name).to.equal(format[name]);
    }
    const uri = format.encodeSessionUri(session);
    expect(format.decodeSessionUri(uri)).to.deep.equal(session);
    const { signature: _s, ...body } = session;
    const bytes = format.bankSessionSigningBytes(session);
    expect(Buffer.isBuffer(bytes)).to.equal(false);
    expect(Buffer.from(bytes).toString('utf8')).to.equal(canonicalize(body));
    expect(Buffer.isBuffer(nodeSession.bankSessionSigningBytes(session))).to.equal(true);
    expect(Buffer.from(bytes).equals(nodeSession.bankSessionSigningBytes(session))).to.equal(true);
  });

  it('checks the signature encoding without Buffer: canonical, padded base64 of 8 to 72 bytes', function () {
    const bank = createTestBank('bank1.example.com');
    const session = nodeSession.createBankSession(
      { network: 'kyc-ledger/kyc', bank: { mspId: 'Bank1MSP', name: 'Bank One' }, fields: ['givenName'], ttlSeconds: 300, submitUrl: 'http://127.0.0.1:1/x' },
      bank.user,
    );
    const accepts = (signature: string) => format.BankSessionSchema.safeParse({ ...session, signature }).success;
    expect(accepts(session.signature)).to.equal(true);
    expect(accepts('AAAAAAAAAAA=')).to.equal(true); // 8 bytes
    expect(accepts('AAAAAAAAAAB=')).to.equal(false); // same bytes, non-zero trailing bits: not canonical
    expect(accepts('AAAAAAAAAAA')).to.equal(false); // padding missing
    expect(accepts('AAAAAAAAAA==')).to.equal(false); // 7 bytes
    expect(accepts(Buffer.alloc(73, 1).toString('base64'))).to.equal(false);
    expect(accepts(Buffer.alloc(72, 1).toString('base64'))).to.equal(true);
  });
});
