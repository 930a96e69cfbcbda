import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { loadNetwork, packageChaincode } from '@kyc-ledger/network';
import type { NetworkLayout } from '@kyc-ledger/network/dist/layout';
import { keepPackage, previousPackage, readKeptPackage, type HistoryEntry } from '@kyc-ledger/network/dist/upgrade/chaincodeHistory';
import { definitionVersion, lifecyclePolicyMet, onChannel } from '@kyc-ledger/network/dist/upgrade/lifecycleSteps';
import { REPO_ROOT } from '../../support/testNetwork';
import { scratchDir } from '../../support/scratchDir';

const entry = (sequence: number, packageId: string, action: HistoryEntry['action'] = 'upgraded'): HistoryEntry => ({
  sequence, packageId, label: packageId.split(':')[0] as string, packageFile: `/nowhere/${sequence}.tar.gz`, action, committedAt: '2026-01-01T00:00:00Z',
});

describe('chaincode upgrade: packages, history and the lifecycle policy', function () {
  this.timeout(60_000);
  const chaincodeDir = path.join(REPO_ROOT, 'chaincode');

  it('packages the same source under another label as another package (the label is in the bytes)', async function () {
    const plain = await packageChaincode(chaincodeDir, 'kyc');
    const relabelled = await packageChaincode(chaincodeDir, 'kyc', { label: 'kyc_0.1.0-v2' });
    expect(relabelled.packageId).to.match(/^kyc_0\.1\.0-v2:[0-9a-f]{64}$/);
    expect(relabelled.packageId.split(':')[1]).to.not.equal(plain.packageId.split(':')[1]);
    expect(gunzipSync(relabelled.bytes).toString('latin1')).to.contain('"label":"kyc_0.1.0-v2"');
    expect((await packageChaincode(chaincodeDir, 'kyc', { label: 'kyc_0.1.0-v2' })).packageId).to.equal(relabelled.packageId);
  });

  it('refuses a label Fabric would refuse, before building anything', async function () {
    for (const label of ['', '-leading-dash', 'has space', 'colon:inside']) {
      const error = await packageChaincode(chaincodeDir, 'kyc', { label }).then(() => undefined, (e: unknown) => e);
      expect((error as { code?: string })?.code, label).to.equal('CHAINCODE_PACKAGE_FAILED');
    }
  });

  it('rolls back to the package committed before the current one; twice returns to the start', function () {
    const a = 'kyc_0.1.0:aaaa';
    const b = 'kyc_0.1.0-v2:bbbb';
    const c = 'kyc_0.1.0-v3:cccc';
    expect(previousPackage([entry(1, a, 'deployed')], a)).to.equal(undefined);
    expect(previousPackage([entry(1, a, 'deployed'), entry(2, b)], b)?.packageId).to.equal(a);
    expect(previousPackage([entry(1, a, 'deployed'), entry(2, b), entry(3, a, 'rolled back')], a)?.packageId).to.equal(b);
    expect(previousPackage([entry(1, a, 'deployed'), entry(2, b), entry(3, c)], c)?.packageId).to.equal(b);
    // A definition committed again with the same package (e.g. new collections) is not a step back.
    expect(previousPackage([entry(1, a, 'deployed'), entry(2, b), entry(3, b)], b)?.packageId).to.equal(a);
  });

  it('keeps packages by label and hash and notices a kept file that changed', async function () {
    const root = scratchDir('kyc-history-');
    const layout = { root } as NetworkLayout;
    const pkg = await packageChaincode(chaincodeDir, 'kyc', { label: 'kyc_keep' });
    const file = await keepPackage(layout, pkg);
    expect(path.basename(file)).to.equal(`kyc_keep-${pkg.packageId.split(':')[1]?.slice(0, 12)}.tar.gz`);
    const kept: HistoryEntry = { ...entry(1, pkg.packageId), packageFile: file };
    expect((await readKeptPackage(kept)).bytes.equals(pkg.bytes)).to.equal(true);
    writeFileSync(file, Buffer.concat([pkg.bytes, Buffer.from([0])]));
    const error = await readKeptPackage(kept).then(() => undefined, (e: unknown) => e);
    expect((error as { code?: string })?.code).to.equal('CHAINCODE_PACKAGE_FAILED');
  });

  it('needs approvals from more than half of the channel\'s member orgs (the readiness map\'s keys) to commit', function () {
    const net = loadNetwork(path.join(REPO_ROOT, 'network.yaml'));
    const msps = net.orgs.filter((o) => net.channel.members.includes(o.name)).map((o) => o.mspId);
    expect(msps).to.have.length(4);
    const approvals = (n: number) => Object.fromEntries(msps.map((m, i) => [m, i < n]));
    expect(lifecyclePolicyMet(approvals(2))).to.equal(false);
    expect(lifecyclePolicyMet(approvals(3))).to.equal(true);
    // An org that joined since network.yaml was written counts, as a member and as an approval.
    expect(lifecyclePolicyMet({ ...approvals(2), Bank3MSP: false })).to.equal(false);
    expect(lifecyclePolicyMet({ ...approvals(2), Bank3MSP: true })).to.equal(true);
    expect(lifecyclePolicyMet({})).to.equal(false);
  });

  it('counts an org removed from the channel but still in network.yaml neither as a member nor as an approver', function () {
    const net = loadNetwork(path.join(REPO_ROOT, 'network.yaml'));
    const members = net.orgs.filter((o) => net.channel.members.includes(o.name));
    const removed = members[3]!;
    // The channel after the removal: three members, two of which approved; network.yaml still lists four.
    const approvals = Object.fromEntries(members.slice(0, 3).map((o, i) => [o.mspId, i < 2]));
    expect(lifecyclePolicyMet(approvals)).to.equal(true);
    expect(onChannel(members, approvals).map((o) => o.mspId)).to.deep.equal(members.slice(0, 3).map((o) => o.mspId));
    expect(onChannel(members, approvals)).to.not.include(removed);
    expect(onChannel([removed], approvals)).to.deep.equal([]);
  });

  it('names each definition after its package hash', function () {
    expect(definitionVersion('kyc_0.1.0:0123456789abcdef0123')).to.equal('0123456789ab');
  });
});
