import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { common, msp } from '@hyperledger/fabric-protos';
import { applicationAdminsRequirement, assertNoPrivateKey, cliExitCode, initOrg, readInputFile, writeOutputFile, configUpdateEnvelope, mapOrdererRefusal, NetworkError, parseConfigSignature, parseOrgDefinition, thresholdOf } from '@kyc-ledger/network';
import { orgGroupJson } from './orgGroupFixture';

const implicit = (rule: string, sub: string) => ({ policy: { type: 3, value: { rule, sub_policy: sub } } });
const orgs = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, { groups: {}, values: {}, policies: {} }]));

describe('membership: admin policy arithmetic', function () {
  it('counts ImplicitMeta thresholds as Fabric does', function () {
    expect([1, 2, 3, 4, 5, 6].map((n) => thresholdOf('MAJORITY', n))).to.deep.equal([1, 2, 2, 3, 3, 4]);
    expect(thresholdOf('ANY', 5)).to.equal(1);
    expect(thresholdOf('ALL', 5)).to.equal(5);
  });

  it('reads the Application Admins requirement from the channel config', function () {
    const config = { channel_group: { groups: { Application: { mod_policy: 'Admins', policies: { Admins: implicit('MAJORITY', 'Admins') }, groups: orgs('Bank1MSP', 'Bank2MSP', 'Certifier1MSP', 'Issuer1MSP') } } } };
    expect(applicationAdminsRequirement(config)).to.deep.equal({
      policy: '/Channel/Application/Admins', rule: 'MAJORITY Admins', needed: 3, eligible: ['Bank1MSP', 'Bank2MSP', 'Certifier1MSP', 'Issuer1MSP'],
    });
  });

  it('refuses to count for a policy that is not ImplicitMeta', function () {
    const config = { channel_group: { groups: { Application: { mod_policy: 'Admins', policies: { Admins: { policy: { type: 1, value: {} } } }, groups: orgs('A') } } } };
    expect(() => applicationAdminsRequirement(config)).to.throw(NetworkError).with.property('code', 'CONFIG_UPDATE_INVALID');
  });
});

describe('membership: orderer refusals become codes', function () {
  const cli = (reason: string) => new Error(`peer channel update failed (exit code 1):\nError: got unexpected status: BAD_REQUEST -- error applying config update to existing channel 'kyc': error authorizing update: ${reason}`);

  it('maps a read-set version mismatch to CONFIG_STALE', function () {
    const mapped = mapOrdererRefusal(cli('error validating ReadSet: proposed update requires that key [Group]  /Channel/Application be at version 1, but it is currently at version 2'));
    expect(mapped?.code).to.equal('CONFIG_STALE');
    expect(mapped?.details).to.deep.equal({ key: '[Group]  /Channel/Application', expected: 1, current: 2 });
    expect(mapped?.message).to.match(/recompute/);
  });

  it('maps an unsatisfied policy to NOT_ENOUGH_SIGNATURES from the orderer', function () {
    const mapped = mapOrdererRefusal(cli("error validating DeltaSet: policy for [Group]  /Channel/Application not satisfied: implicit policy evaluation failed - 1 sub-policies were satisfied, but this policy requires 3 of the 'Admins' sub-policies to be satisfied"));
    expect(mapped?.code).to.equal('NOT_ENOUGH_SIGNATURES');
    expect(mapped?.details).to.include({ source: 'orderer', element: '[Group]  /Channel/Application' });
  });

  it('maps other refusals to CONFIG_UPDATE_REFUSED and leaves unrelated errors alone', function () {
    expect(mapOrdererRefusal(cli('something else'))?.code).to.equal('CONFIG_UPDATE_REFUSED');
    expect(mapOrdererRefusal(new Error('connection refused'))).to.equal(undefined);
  });
});

describe('membership: files that cross between orgs', function () {
  it('refuses text carrying a private key, plain or base64 as configtxgen embeds PEM', function () {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';
    expect(() => assertNoPrivateKey(pem, 'x')).to.throw(NetworkError).with.property('code', 'ORG_DEFINITION_INVALID');
    expect(() => assertNoPrivateKey(JSON.stringify({ v: Buffer.from(pem).toString('base64') }), 'x')).to.throw(NetworkError);
    const cert = '-----BEGIN CERTIFICATE-----\nMIICAzCCAaqgAwIBAgIRAKx\n-----END CERTIFICATE-----\n';
    expect(() => assertNoPrivateKey(JSON.stringify({ v: Buffer.from(cert).toString('base64') }), 'x')).not.to.throw();
  });

  it('refuses a signature file that is not a ConfigSignature', function () {
    expect(() => parseConfigSignature(Buffer.from('not a signature'), 'junk.sig')).to.throw(NetworkError).with.property('code', 'SIGNATURE_INVALID');
  });

  it('wraps an update and its signatures in a CONFIG_UPDATE envelope for the channel', function () {
    const signature = new common.ConfigSignature();
    signature.setSignatureHeader(Buffer.from('header'));
    signature.setSignature(Buffer.from('sig'));
    const envelope = common.Envelope.deserializeBinary(configUpdateEnvelope('kyc', Buffer.from('update'), [signature]));
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    expect(header.getType()).to.equal(common.HeaderType.CONFIG_UPDATE);
    expect(header.getChannelId()).to.equal('kyc');
    const inner = common.ConfigUpdateEnvelope.deserializeBinary(payload.getData_asU8());
    expect(Buffer.from(inner.getConfigUpdate_asU8()).toString()).to.equal('update');
    expect(inner.getSignaturesList().map((s) => Buffer.from(s.getSignature_asU8()).toString())).to.deep.equal(['sig']);
  });
});

describe('membership: an org definition\'s content', function () {
  const definition = (group: unknown, mspId = 'Bank3MSP') => JSON.stringify({
    kind: 'kyc-ledger/org-definition', name: 'bank3', mspId, domain: 'bank3.example.com', role: 'bank', anchorPeer: { host: '10.0.0.5', port: 7051 }, group,
  });
  const problemsOf = (text: string): string[] => {
    try {
      parseOrgDefinition(text, 'def.json');
    } catch (error) {
      expect(error).to.be.instanceOf(NetworkError).with.property('code', 'ORG_DEFINITION_INVALID');
      return (error as NetworkError & { details: { problems: string[] } }).details.problems;
    }
    throw new Error('expected ORG_DEFINITION_INVALID');
  };

  it('accepts the group configtxgen -printOrg makes for the org', function () {
    expect(parseOrgDefinition(definition(orgGroupJson('Bank3MSP'))).mspId).to.equal('Bank3MSP');
  });

  it('refuses an MSP named after another org, listing every problem', function () {
    expect(problemsOf(definition(orgGroupJson('Bank1MSP')))).to.deep.equal([
      'values.MSP: config name Bank1MSP, not Bank3MSP',
      'policies.Readers: principal 0 names Bank1MSP, not Bank3MSP',
      'policies.Readers: principal 1 names Bank1MSP, not Bank3MSP',
      'policies.Readers: principal 2 names Bank1MSP, not Bank3MSP',
      'policies.Writers: principal 0 names Bank1MSP, not Bank3MSP',
      'policies.Writers: principal 1 names Bank1MSP, not Bank3MSP',
      'policies.Admins: principal 0 names Bank1MSP, not Bank3MSP',
      'policies.Endorsement: principal 0 names Bank1MSP, not Bank3MSP',
    ]);
  });

  it('refuses widened, extra, missing or non-signature policies and extra values', function () {
    const group = orgGroupJson('Bank3MSP', { Readers: ['ADMIN', 'PEER', 'CLIENT'], Writers: ['ADMIN', 'CLIENT', 'PEER'], Admins: ['ADMIN'], Extra: ['ADMIN'] });
    (group.values as Record<string, unknown>)['AnchorPeers'] = { mod_policy: 'Admins', value: {} };
    (group.policies['Admins'] as { policy: { type: number } }).policy.type = 3;
    expect(problemsOf(definition(group))).to.deep.equal([
      'values.AnchorPeers: not allowed (only MSP)',
      'policies.Extra: not allowed (only Readers, Writers, Admins, Endorsement)',
      'policies.Writers: roles ADMIN|CLIENT|PEER, expected ADMIN|CLIENT',
      'policies.Admins: must be a signature policy',
      'policies.Endorsement: missing',
    ]);
  });

  it('refuses a policy that needs more than one of its principals', function () {
    const group = orgGroupJson('Bank3MSP');
    (group.policies['Readers'] as { policy: { value: { rule: { n_out_of: { n: number } } } } }).policy.value.rule.n_out_of.n = 2;
    expect(problemsOf(definition(group))).to.deep.equal(['policies.Readers: rule must be 1-of-n over its principals']);
  });
});

describe('membership: bad input is refused, coded, before anything is made', function () {
  let dir: string;
  beforeEach(function () { dir = mkdtempSync(path.join(tmpdir(), 'kyc-membership-')); });
  afterEach(function () { rmSync(dir, { recursive: true, force: true }); });
  // Binaries that do not exist: reaching cryptogen at all would fail with another error.
  const noFabric = { binDir: '/nonexistent', sampleConfigDir: '/nonexistent', external: true, source: 'override' } as const;
  const refusedWith = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(NetworkError);
      return error as NetworkError;
    }
    throw new Error('expected a coded refusal');
  };

  it('org init checks name, MSP ID, domain and host first and writes nothing', async function () {
    const out = path.join(dir, 'bank3');
    const error = await refusedWith(initOrg({ name: 'Bank 3', mspId: '3MSP', domain: 'bank3..example', role: 'bank', host: '0.0.0.0', peerPort: 7051, out }, noFabric));
    expect(error.code).to.equal('INVALID_ARGUMENT');
    expect((error.details as { problems: string[] }).problems.map((p) => p.split(' ')[0])).to.deep.equal(['name', '--msp-id', '--domain', '--host']);
    expect(existsSync(out)).to.equal(false);
  });

  it('org init leaves no crypto directory behind when a tool fails, so a retry can run', async function () {
    // A cryptogen that makes its output directory, and a configtxgen that fails after it.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'cryptogen'), '#!/bin/sh\nfor a in "$@"; do case "$a" in --output=*) mkdir -p "${a#--output=}/peerOrganizations";; esac; done\n', { mode: 0o755 });
    writeFileSync(path.join(bin, 'configtxgen'), '#!/bin/sh\necho "configtxgen broke" >&2; exit 1\n', { mode: 0o755 });
    const out = path.join(dir, 'bank3');
    await initOrg({ name: 'bank3', mspId: 'Bank3MSP', domain: 'bank3.example.com', role: 'bank', host: '10.0.0.5', peerPort: 7051, out }, { ...noFabric, binDir: bin }).then(() => expect.fail('configtxgen failed'), () => undefined);
    expect(readdirSync(out)).to.not.include('crypto');
    expect(existsSync(path.join(out, 'config'))).to.equal(true);
  });

  it('a missing input file or an unwritable output is INVALID_ARGUMENT', async function () {
    const missing = await refusedWith(readInputFile(path.join(dir, 'missing.pb'), 'the update'));
    expect(missing.code).to.equal('INVALID_ARGUMENT');
    expect(missing.message).to.match(/cannot read the update .*missing\.pb: ENOENT/);
    const unwritable = await refusedWith(writeOutputFile(path.join(dir, 'no-such-dir', 'x.sig'), Buffer.from('x'), 'the signature'));
    expect(unwritable.code).to.equal('INVALID_ARGUMENT');
  });

  it('a signature whose certificate does not parse is SIGNATURE_INVALID', function () {
    const creator = new msp.SerializedIdentity();
    creator.setMspid('Bank1MSP');
    creator.setIdBytes(Buffer.from('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n'));
    const header = new common.SignatureHeader();
    header.setCreator(creator.serializeBinary());
    const signature = new common.ConfigSignature();
    signature.setSignatureHeader(header.serializeBinary());
    signature.setSignature(Buffer.from('sig'));
    expect(() => parseConfigSignature(signature.serializeBinary(), 'bank1.sig')).to.throw(NetworkError).with.property('code', 'SIGNATURE_INVALID');
  });

  it('every bad-input code exits 2, other failures 1', function () {
    for (const code of ['CONFIG_INVALID', 'CONFIG_NOT_FOUND', 'INVALID_ARGUMENT', 'UNKNOWN_NODE', 'UNKNOWN_ORG', 'ORG_DEFINITION_INVALID', 'SIGNATURE_INVALID', 'CONFIG_UPDATE_INVALID'] as const) {
      expect(cliExitCode(code), code).to.equal(2);
    }
    for (const code of ['NOT_ENOUGH_SIGNATURES', 'CONFIG_STALE', 'CONFIG_UPDATE_REFUSED', 'NODE_START_FAILED'] as const) {
      expect(cliExitCode(code), code).to.equal(1);
    }
  });
});
