import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  channelHeight, computeAddOrgUpdate, computeRemoveOrgUpdate, fetchChannelConfig, initOrg, joinOrg, memberMspIds, NetworkError,
  networkActingOrg, orgNode, orgNodeActingOrg, parseOrgDefinition, removalDryRun, signConfigUpdate, startOrgPeer, stopOrgPeer, submitConfigUpdate,
  type ActingOrg, type FabricInstall, type Network, type OrgInitResult, type OrgNode, type SignatureFile,
} from '@kyc-ledger/network';
import { describeProbe, probeWrite, refusedAsNonMember } from '../support/probeWrite';
import { createTestNetwork, eventually, REPO_ROOT, testProgress } from '../support/testNetwork';

const CLI = path.join(REPO_ROOT, 'network', 'dist', 'cli.js');

/** Resolves with the coded error `promise` rejects with (fails when it resolves or throws uncoded). */
async function codedRejection(promise: Promise<unknown>): Promise<NetworkError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NetworkError) return error;
    throw error;
  }
  throw new Error('expected a coded refusal, got success');
}

/**
 * Adding and removing member orgs on a real network: each org's admin acts in its own run with
 * its own key; what crosses between orgs is the definition, the update and detached signatures.
 */
describe('membership: adding and removing a member org', function () {
  this.timeout(20 * 60_000);
  const base = Number(process.env.KYC_TEST_PORT_BASE ?? 17000);
  const orgsDir = mkdtempSync(path.join(tmpdir(), 'kyc-neworgs-'));
  let network: Network;
  let fabric: FabricInstall;
  let bank3: OrgInitResult;
  let bank4: OrgInitResult;
  /** bank4's update, computed before bank3's committed: stale by the time it is submitted. */
  let staleUpdate: Buffer;
  let bank3Node: OrgNode | undefined;

  const as = (org: string): ActingOrg => networkActingOrg(network.config, network.layout, fabric, org);
  const signedBy = async (update: Buffer, ...orgs: string[]): Promise<SignatureFile[]> =>
    Promise.all(orgs.map(async (org) => ({ source: `${org}.sig`, bytes: await signConfigUpdate(update, as(org).mspId, as(org).adminMsp) })));
  const config = () => fetchChannelConfig(fabric, as('bank1'));
  /** The kyc-network CLI on this test's network, with --json; each run acts as the one org it names. */
  const cli = (...args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, '-f', path.join(REPO_ROOT, 'network.yaml'), '--name', network.config.name, '--data-dir', network.layout.root, '--port-base', String(base), '--json', ...args], { encoding: 'utf8' });
    return { status: result.status, json: JSON.parse(result.stdout || 'null') as Record<string, unknown> & { error?: { code: string; details: Record<string, unknown> } } };
  };
  const waitForSequence = (sequence: number) => eventually(async () => {
    const current = await config();
    expect(current.sequence).to.equal(sequence);
    return current;
  }, 30_000);

  before(async function () {
    network = createTestNetwork('membership', base);
    await network.up(testProgress());
    fabric = await network.fabric();
  });

  after(async function () {
    if (!process.env.KYC_TEST_KEEP) {
      if (bank3Node) await stopOrgPeer(bank3Node);
      await network?.prune();
      rmSync(orgsDir, { recursive: true, force: true });
    }
  });

  it('org init makes a new org\'s keys alone; its definition carries certificates only', async function () {
    bank3 = await initOrg({ name: 'bank3', mspId: 'Bank3MSP', domain: 'bank3.example.com', role: 'bank', host: '127.0.0.1', peerPort: base + 300, out: path.join(orgsDir, 'bank3') }, fabric);
    bank4 = await initOrg({ name: 'bank4', mspId: 'Bank4MSP', domain: 'bank4.example.com', role: 'bank', host: '127.0.0.1', peerPort: base + 310, out: path.join(orgsDir, 'bank4') }, fabric);
    const text = readFileSync(bank3.dir.definitionFile, 'utf8');
    // The key exists, in the org's own directory, and nowhere in what it hands over.
    const key = readFileSync(path.join(bank3.dir.adminMsp, 'keystore', readdirSync(path.join(bank3.dir.adminMsp, 'keystore'))[0] as string), 'utf8');
    expect(key).to.contain('PRIVATE KEY');
    const embedded = [...text.matchAll(/"([A-Za-z0-9+/]{40,}={0,2})"/g)].map((m) => Buffer.from(m[1] as string, 'base64').toString('latin1'));
    expect(embedded.length).to.be.greaterThan(0);
    for (const pem of embedded) expect(pem).to.match(/^-----BEGIN CERTIFICATE-----/);
    expect(text).not.to.contain('PRIVATE KEY');
    // The check that guards the definition can fail: a definition with a key in it is refused.
    const leaked = JSON.parse(text) as { group: { values: Record<string, unknown> } };
    leaked.group.values['Leak'] = { value: Buffer.from(key).toString('base64') };
    expect(() => parseOrgDefinition(JSON.stringify(leaked))).to.throw(NetworkError).with.property('code', 'ORG_DEFINITION_INVALID');
  });

  it('refuses an update signed by too few admins and leaves the channel config unchanged', async function () {
    const before = await config();
    expect(memberMspIds(before.config)).to.deep.equal(['Bank1MSP', 'Bank2MSP', 'Certifier1MSP', 'Issuer1MSP']);
    const { update, base: computedOn } = await computeAddOrgUpdate(fabric, as('certifier1'), bank3.definition);
    expect(computedOn.sequence).to.equal(before.sequence);
    staleUpdate = (await computeAddOrgUpdate(fabric, as('issuer1'), bank4.definition)).update;

    // The same through the CLI, each admin in its own run: bank1 signs, bank1 submits.
    const updateFile = path.join(orgsDir, 'add-bank3.pb');
    writeFileSync(updateFile, update);
    const signed = cli('channel', 'sign', updateFile, '--org', 'bank1', '--out', path.join(orgsDir, 'bank1.sig'));
    expect(signed.status).to.equal(0);
    expect(signed.json).to.deep.include({ signer: 'Bank1MSP' });
    expect(signed.json['update']).to.deep.include({ channel: 'kyc', changesMembers: true, added: ['Bank3MSP'] });
    const submitted = cli('channel', 'submit', updateFile, '--org', 'bank1', '--signatures', path.join(orgsDir, 'bank1.sig'));
    expect(submitted.status).to.equal(1);
    expect(submitted.json.error?.code).to.equal('NOT_ENOUGH_SIGNATURES');
    expect(submitted.json.error?.details).to.deep.include({ signedBy: ['Bank1MSP'] });

    const refused = await codedRejection(submitConfigUpdate(fabric, as('bank1'), update, await signedBy(update, 'bank1')));
    expect(refused.code).to.equal('NOT_ENOUGH_SIGNATURES');
    expect(refused.details).to.deep.include({ signedBy: ['Bank1MSP'], missing: ['Bank2MSP', 'Certifier1MSP', 'Issuer1MSP'] });
    expect(refused.message).to.match(/needs 3 of 4/);

    // Forced past the tool's own check, the orderer refuses it for the same reason.
    const forced = await codedRejection(submitConfigUpdate(fabric, as('bank1'), update, [], { force: true }));
    expect(forced.code).to.equal('NOT_ENOUGH_SIGNATURES');
    expect(forced.details).to.include({ source: 'orderer' });

    // A signature over another update does not count.
    const wrong = await codedRejection(submitConfigUpdate(fabric, as('bank1'), update, await signedBy(staleUpdate, 'bank2', 'certifier1')));
    expect(wrong.code).to.equal('SIGNATURE_INVALID');

    const after = await config();
    expect({ sequence: after.sequence, hash: after.hash, block: after.blockNumber }).to.deep.equal({ sequence: before.sequence, hash: before.hash, block: before.blockNumber });

    // 3 of 4: two detached signatures and the submitter's own.
    const accepted = await submitConfigUpdate(fabric, as('bank2'), update, await signedBy(update, 'certifier1', 'bank1'));
    expect(accepted.signedBy).to.deep.equal(['Bank1MSP', 'Bank2MSP', 'Certifier1MSP']);
    const added = await waitForSequence(before.sequence + 1);
    expect(memberMspIds(added.config)).to.include('Bank3MSP');
  });

  it('refuses an update computed on a config that changed since, then accepts it recomputed and re-signed', async function () {
    const before = await config();
    const stale = await codedRejection(submitConfigUpdate(fabric, as('bank2'), staleUpdate, await signedBy(staleUpdate, 'certifier1', 'issuer1')));
    expect(stale.code).to.equal('CONFIG_STALE');
    expect(stale.message).to.match(/recompute/);
    expect((await config()).hash).to.equal(before.hash);

    const { update } = await computeAddOrgUpdate(fabric, as('issuer1'), bank4.definition);
    // Five members now: a majority is still three.
    await submitConfigUpdate(fabric, as('bank2'), update, await signedBy(update, 'certifier1', 'issuer1'));
    const added = await waitForSequence(before.sequence + 1);
    expect(memberMspIds(added.config)).to.include.members(['Bank3MSP', 'Bank4MSP']);
  });

  it('dry-runs a removal: every channel, lifecycle and endorsement policy with whether the rest still meet it', async function () {
    const before = await config();
    const report = await removalDryRun(fabric, as('bank1'), 'Bank4MSP', network.config.chaincode.name);
    expect(report.membersAfter).to.deep.equal(['Bank1MSP', 'Bank2MSP', 'Bank3MSP', 'Certifier1MSP', 'Issuer1MSP']);
    const byPath = Object.fromEntries(report.policies.map((p) => [p.policy, p]));
    for (const p of ['/Channel/Admins', '/Channel/Application/Admins', '/Channel/Application/Endorsement', '/Channel/Application/LifecycleEndorsement', '/Channel/Application/Readers', '/Channel/Application/Writers', '/Channel/Orderer/Admins', `chaincode:${network.config.chaincode.name}`]) {
      expect(byPath[p], p).to.exist;
    }
    expect(byPath['/Channel/Application/Admins']).to.deep.include({ rule: 'MAJORITY Admins', neededBefore: 4, neededAfter: 3, availableAfter: 5, satisfiable: true });
    expect(report.safe).to.equal(true);
    const viaCli = cli('channel', 'remove-org', 'Bank4MSP', '--org', 'bank2', '--dry-run');
    expect(viaCli.status).to.equal(0);
    expect(viaCli.json).to.deep.include({ mspId: 'Bank4MSP', safe: true, membersAfter: report.membersAfter });
    // The dry run changed nothing.
    expect((await config()).hash).to.equal(before.hash);
    // Unknown org: coded.
    expect((await codedRejection(removalDryRun(fabric, as('bank1'), 'NoSuchMSP', undefined))).code).to.equal('ORG_NOT_MEMBER');
  });

  it('removes an org (one that never ran a peer) with a majority of admin signatures', async function () {
    const before = await config();
    const { update } = await computeRemoveOrgUpdate(fabric, as('bank1'), 'Bank4MSP');
    // Six members: a majority is four; three do not do.
    const short = await codedRejection(submitConfigUpdate(fabric, as('bank2'), update, await signedBy(update, 'certifier1', 'issuer1')));
    expect(short.code).to.equal('NOT_ENOUGH_SIGNATURES');
    await submitConfigUpdate(fabric, as('bank2'), update, await signedBy(update, 'certifier1', 'issuer1', 'bank1'));
    const removed = await waitForSequence(before.sequence + 1);
    expect(memberMspIds(removed.config)).not.to.include('Bank4MSP');
  });

  it('joins the new org with its own key: its peer catches up, sets its anchor peer, approves the chaincode and endorses', async function () {
    bank3Node = orgNode(bank3.dir.root, network.config);
    await startOrgPeer(bank3Node, fabric);
    const orderer = network.config.ordererOrg.nodes[0];
    if (!orderer) throw new Error('no orderer');
    const joined = await joinOrg(bank3Node, fabric, {
      orderer: `${orderer.host}:${orderer.port}`,
      // The orderer org's TLS CA: a certificate the consortium hands to the new org.
      ordererCa: network.layout.ordererTlsCa,
      chaincode: { name: network.config.chaincode.name, path: network.config.chaincode.path },
    }, testProgress());
    expect(joined).to.deep.include({ joined: 'joined', anchorPeer: 'set' });
    expect(joined.chaincode.approval).to.equal('approved');
    const anchors = (await config()).config.channel_group.groups?.Application?.groups?.['Bank3MSP']?.values?.AnchorPeers?.value;
    expect(anchors).to.deep.equal({ anchor_peers: [bank3.definition.anchorPeer] });
    const actor = orgNodeActingOrg(bank3Node, fabric, { orderer: `${orderer.host}:${orderer.port}`, ordererCa: network.layout.ordererTlsCa });
    await eventually(async () => expect(await channelHeight(fabric, actor)).to.equal(await channelHeight(fabric, as('bank1'))), 60_000);
    // A write endorsed by bank3 with two others (3 of 5) commits valid: its endorsement counts.
    await eventually(async () => {
      const outcome = await probeWrite(network, 'with-bank3', ['Bank3MSP', 'Bank1MSP', 'Certifier1MSP']);
      if (!outcome.committed) throw new Error(`not yet: ${describeProbe(outcome)}`);
    }, 60_000);
  });

  it('removes the joined org; its peer\'s endorsement no longer counts', async function () {
    const report = await removalDryRun(fabric, as('bank1'), 'Bank3MSP', network.config.chaincode.name);
    expect(report.safe).to.equal(true);
    expect(report.policies.find((p) => p.policy === '/Channel/Application/Endorsement')).to.deep.include({ neededBefore: 3, neededAfter: 3, availableAfter: 4 });
    const before = await config();
    const { update } = await computeRemoveOrgUpdate(fabric, as('issuer1'), 'Bank3MSP');
    await submitConfigUpdate(fabric, as('issuer1'), update, await signedBy(update, 'bank1', 'bank2'));
    const removed = await waitForSequence(before.sequence + 1);
    expect(memberMspIds(removed.config)).to.deep.equal(['Bank1MSP', 'Bank2MSP', 'Certifier1MSP', 'Issuer1MSP']);
    // The same endorsement set no longer gets a write committed; without bank3 it still does.
    // Refused for the right reason: bank3 is not on the channel (not a gateway down or a timeout).
    const afterRemoval = await probeWrite(network, 'after-removal', ['Bank3MSP', 'Bank1MSP', 'Certifier1MSP']);
    expect(refusedAsNonMember(afterRemoval, 'Bank3MSP'), describeProbe(afterRemoval)).to.equal(true);
    const withoutBank3 = await probeWrite(network, 'without-bank3', ['Bank2MSP', 'Bank1MSP', 'Certifier1MSP']);
    expect(withoutBank3.committed, describeProbe(withoutBank3)).to.equal(true);
  });
});
