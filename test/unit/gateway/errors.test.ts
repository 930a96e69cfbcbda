import * as grpc from '@grpc/grpc-js';
import { CommitError, EndorseError, GatewayError as FabricGatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AllErrorCodes, ChaincodeError, KycError, type ErrorCode } from '@kyc-ledger/api';
import { CryptoErrorCodes } from '@kyc-ledger/crypto';
import { expect } from 'chai';
import {
  ERROR_TABLE,
  type ErrorClass,
  GatewayError,
  GatewayErrorCodes,
  ValidationError,
  httpStatusOf,
  ledgerErrorFrom,
  parseChaincodeErrorBody,
  toProblemDetails,
} from '@kyc-ledger/gateway';
import { REPO_ROOT } from '../../support/testNetwork';

function serviceError(code: number, details: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new grpc.Metadata() });
}

describe('gateway errors', function () {
  it('maps every code, and only those, to the HTTP status written here', function () {
    const expected: Record<string, number> = {
      // The chaincode's codes (LedgerErrorCodes).
      INVALID_ARGUMENT: 400, NOT_FOUND: 404, FORBIDDEN: 403, CONFLICT: 409, NOT_ACCREDITED: 422, OUT_OF_SCOPE: 422,
      INVALID_SIGNATURE: 422, SESSION_ALREADY_USED: 409, ATTESTATION_NOT_ACTIVE: 422, APPROVALS_INSUFFICIENT: 422,
      TRANSFER_RESTRICTED: 422, PRIVATE_DATA_UNAVAILABLE: 403, ERASED: 410,
      // The gateways' own codes.
      VALIDATION_FAILED: 400, UNAUTHENTICATED: 401, METHOD_NOT_ALLOWED: 405, SESSION_EXPIRED: 422, SUBMISSION_MALFORMED: 400,
      CONSENT_MISMATCH: 422, PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415, HEADERS_TOO_LARGE: 431, RATE_LIMITED: 429,
      UPSTREAM_UNAVAILABLE: 503, COMMIT_FAILED: 502, INTERNAL: 500, CHAINCODE_FAILED: 502, INVALID_CONFIG: 500,
      // The RPC adapter's own codes (in the one list, never raised by a gateway).
      RESUME_TOKEN_EXPIRED: 410, REQUEST_ID_REUSED: 409, SEQUENCE_GAP: 500,
      // The crypto core's codes, which the chaincode passes on.
      INVALID_ADDRESS: 400, INVALID_HEX: 400, INVALID_STATEMENT: 400, INVALID_SIGNATURE_ENCODING: 400, UNSUPPORTED_SCHEME: 400,
      UNSUPPORTED_KEY_KIND: 400, INVALID_PRIVATE_KEY: 400, INVALID_TYPED_DATA: 400, INVALID_FIELD_NAME: 400, INVALID_FIELD_VALUE: 400,
      INVALID_SALT: 400, INVALID_COMMITMENT: 400, INVALID_COMMITMENT_ROOT: 400, MISSING_FIELD: 400, INVALID_KEY: 400,
      CHAIN_MISMATCH: 422, NETWORK_MISMATCH: 422, PURPOSE_MISMATCH: 422, KEY_MISMATCH: 422, FIELD_NOT_COMMITTED: 422, DISCLOSURE_MISMATCH: 422,
    };
    const actual = Object.fromEntries(Object.entries(ERROR_TABLE).map(([code, row]) => [code, row.status]));
    expect(actual).to.deep.equal(expected);
    expect(Object.keys(AllErrorCodes).sort()).to.deep.equal(Object.keys(expected).sort());
    for (const [code, status] of Object.entries(expected)) expect(httpStatusOf(code), code).to.equal(status);
    expect(httpStatusOf('SOMETHING_NEW')).to.equal(500);
  });

  it('is typed over the one list of codes, so a table missing a code does not compile', function () {
    const complete: Record<ErrorCode, ErrorClass> = ERROR_TABLE;
    const { CHAINCODE_FAILED: removed, ...withoutOne } = ERROR_TABLE;
    // @ts-expect-error a table without CHAINCODE_FAILED is not a Record<ErrorCode, ErrorClass>
    const incomplete: Record<ErrorCode, ErrorClass> = withoutOne;
    expect(Object.keys(complete).length).to.equal(Object.keys(incomplete).length + 1);
    expect(removed.status).to.equal(502);
  });

  it('lists every code with its status in docs/gateway.md', function () {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'gateway.md'), 'utf8');
    const rows = new Map<string, number>();
    for (const match of doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \|/gm)) rows.set(match[1] as string, Number(match[2]));
    const expected = new Map(Object.entries(ERROR_TABLE).map(([code, row]) => [code, row.status]));
    expect(Object.fromEntries(rows)).to.deep.equal(Object.fromEntries(expected));
  });

  it('has a 4xx row for every code of the crypto core, which the chaincode passes on', function () {
    for (const code of Object.values(CryptoErrorCodes)) {
      const row = (ERROR_TABLE as Record<string, { status: number }>)[code];
      expect(row, code).to.not.equal(undefined);
      expect(row?.status, code).to.be.within(400, 499);
    }
  });

  it('shares one base error with the chaincode', function () {
    expect(new GatewayError('NOT_FOUND', 'x', { details: { a: 1 } })).to.be.instanceOf(KycError).and.include({ code: 'NOT_FOUND' });
    expect(new ChaincodeError('NOT_FOUND', 'x')).to.be.instanceOf(KycError);
  });

  describe('parseChaincodeErrorBody', function () {
    it('finds the body inside a peer message, with text before and after it', function () {
      const body = { code: 'NOT_ACCREDITED', message: 'certifier {X} is not accredited for "DE"', details: { countries: ['FR'] } };
      expect(parseChaincodeErrorBody(`chaincode response 500, ${JSON.stringify(body)}`)).to.deep.equal(body);
      expect(parseChaincodeErrorBody(`error in simulation: ${JSON.stringify(body)} (attempt 1)`)).to.deep.equal(body);
    });

    it('ignores text that is not one of ours', function () {
      for (const text of ['', 'plain failure', '{"code":', '{"code":"lower","message":"x"}', '{"code":"X"}', '{"code":"X","message":1}', '{"code":"A","message":"b"']) {
        expect(parseChaincodeErrorBody(text), text).to.equal(undefined);
      }
    });
  });

  describe('ledgerErrorFrom (fabric-gateway errors)', function () {
    it('keeps the chaincode code and the transaction id of an endorsement failure', function () {
      const chaincodeBody = '{"code":"INVALID_SIGNATURE","message":"subject signature does not verify","details":{"scheme":"eip191"}}';
      const error = new EndorseError({
        code: grpc.status.ABORTED,
        details: [{ address: 'peer0:7110', mspId: 'Certifier1MSP', message: `chaincode response 500, ${chaincodeBody}` }],
        cause: serviceError(grpc.status.ABORTED, 'failed to endorse transaction, see attached details for more info'),
        transactionId: 'abc123',
        message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
      });
      const translated = ledgerErrorFrom(error, 'attestation:register');
      expect(translated).to.include({ code: 'INVALID_SIGNATURE', message: 'subject signature does not verify', transactionId: 'abc123' });
      expect(translated.details).to.deep.equal({ scheme: 'eip191' });
      expect(httpStatusOf(translated.code)).to.equal(422);
    });

    it('reads the body from the gRPC message of an evaluate failure', function () {
      const error = new FabricGatewayError({
        code: grpc.status.UNKNOWN,
        details: [],
        cause: serviceError(grpc.status.UNKNOWN, 'evaluate call to endorser returned error: chaincode response 500, {"code":"NOT_FOUND","message":"no attestation"}'),
        message: '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, {"code":"NOT_FOUND","message":"no attestation"}',
      });
      expect(ledgerErrorFrom(error, 'attestation:get')).to.include({ code: 'NOT_FOUND', transactionId: undefined });
    });

    it('makes transport failures UPSTREAM_UNAVAILABLE, uncoded chaincode failures CHAINCODE_FAILED, others INTERNAL', function () {
      const down = new FabricGatewayError({ code: grpc.status.UNAVAILABLE, details: [], cause: serviceError(grpc.status.UNAVAILABLE, 'No connection established') });
      expect(ledgerErrorFrom(down, 'probe:ping').code).to.equal('UPSTREAM_UNAVAILABLE');
      const late = new FabricGatewayError({ code: grpc.status.DEADLINE_EXCEEDED, details: [], cause: serviceError(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded') });
      expect(ledgerErrorFrom(late, 'probe:ping').code).to.equal('UPSTREAM_UNAVAILABLE');
      const odd = new FabricGatewayError({ code: grpc.status.ABORTED, details: [{ address: 'p', mspId: 'M', message: 'chaincode response 500, plain Error' }], cause: serviceError(grpc.status.ABORTED, 'x') });
      const failed = ledgerErrorFrom(odd, 'attestation:register');
      expect(failed.code).to.equal('CHAINCODE_FAILED');
      expect(failed.details).to.deep.equal({ fn: 'attestation:register' });
      expect(JSON.stringify({ message: failed.message, details: failed.details })).not.to.contain('plain Error');
      expect(httpStatusOf(failed.code)).to.equal(502);
      const unknownCode = new FabricGatewayError({ code: grpc.status.UNKNOWN, details: [], cause: serviceError(grpc.status.UNKNOWN, 'x'), message: 'chaincode response 500, {"code":"NEWER_CODE","message":"secret text"}' });
      const coded = ledgerErrorFrom(unknownCode, 'attestation:get');
      expect(coded.code).to.equal('CHAINCODE_FAILED');
      expect(coded.message).not.to.contain('secret text');
      expect(ledgerErrorFrom(new Error('disk'), 'x').code).to.equal('INTERNAL');
      const ours = new GatewayError('CONFLICT', 'already');
      expect(ledgerErrorFrom(ours, 'x')).to.equal(ours);
    });

    it('makes MVCC conflicts retryable CONFLICTs and other invalid commits COMMIT_FAILED', function () {
      const mvcc = ledgerErrorFrom(new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 't1' }), 'attestation:renew');
      expect(mvcc).to.include({ code: 'CONFLICT', transactionId: 't1' });
      const policy = ledgerErrorFrom(new CommitError({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE, transactionId: 't2' }), 'attestation:renew');
      expect(policy).to.include({ code: 'COMMIT_FAILED', transactionId: 't2' });
      expect(httpStatusOf(policy.code)).to.equal(502);
    });
  });

  describe('toProblemDetails', function () {
    it('answers RFC 9457 members with code, request and transaction ids', function () {
      const problem = toProblemDetails(new GatewayError('SESSION_ALREADY_USED', 'session used', { transactionId: 't9', details: { sessionIdHash: 'ab' } }), 'r1', '/v1/x');
      expect(problem).to.deep.equal({
        type: 'urn:kyc-ledger:error:SESSION_ALREADY_USED',
        title: 'Session already used',
        status: 409,
        detail: 'session used',
        instance: '/v1/x',
        code: 'SESSION_ALREADY_USED',
        requestId: 'r1',
        transactionId: 't9',
        details: { sessionIdHash: 'ab' },
      });
    });

    it('lists validation errors and hides the message and details of server-side failures', function () {
      const validation = toProblemDetails(new ValidationError([{ location: 'body', path: 'a', message: 'is required (string)' }]), 'r2');
      expect(validation.errors).to.deep.equal([{ location: 'body', path: 'a', message: 'is required (string)' }]);
      const internal = toProblemDetails(new GatewayError('INTERNAL', 'connection to 10.0.0.7 refused', { details: { host: '10.0.0.7' } }), 'r3');
      expect(internal.detail).not.to.contain('10.0.0.7');
      expect(internal).not.to.have.property('details');
    });
  });
});
