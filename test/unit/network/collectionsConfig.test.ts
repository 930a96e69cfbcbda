import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { investorCollection, issuerCollection } from '@kyc-ledger/chaincode';
import { resolveNetwork, type ResolvedNetwork } from '@kyc-ledger/network';
import { collectionsConfig, collectionsHash, renderCollectionsConfig } from '@kyc-ledger/network/dist/collectionsConfig';
import { networkLayout } from '@kyc-ledger/network/dist/layout';
import { deploymentUnchanged, type DeployedChaincode } from '@kyc-ledger/network/dist/lifecycle';
import { REPO_ROOT } from '../../support/testNetwork';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const defaultFile = path.join(REPO_ROOT, 'network.yaml');
const defaultDoc = () => parse(readFileSync(defaultFile, 'utf8')) as Doc;
const resolve = (doc: Doc): ResolvedNetwork => resolveNetwork({ ...doc, dataDir: '/data/kyc' }, defaultFile);
const hashOf = (net: ResolvedNetwork) => collectionsHash(renderCollectionsConfig(net));

/** Fabric v3.1.1's collection-name rule (core/chaincode/lifecycle/scc.go, collectionNameRegExp). */
const FABRIC_COLLECTION_NAME = /^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$/;

/** The keys Fabric's peer CLI reads from a collections config entry (internal/peer/chaincode/common.go). */
const FABRIC_KEYS = ['name', 'policy', 'requiredPeerCount', 'maxPeerCount', 'blockToLive', 'memberOnlyRead', 'memberOnlyWrite', 'endorsementPolicy'];

describe('private data collections of the chaincode definition', function () {
  const net = resolve(defaultDoc());

  it('default network: the issuer\'s own collection and one issuer × certifier collection, members only, writes endorsed by the issuer', function () {
    expect(collectionsConfig(net)).to.deep.equal([
      {
        name: 'investor__Issuer1MSP__Certifier1MSP',
        policy: "OR('Issuer1MSP.member','Certifier1MSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 1,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
        endorsementPolicy: { signaturePolicy: "OR('Issuer1MSP.peer')" },
      },
      {
        name: 'issuer__Issuer1MSP',
        policy: "OR('Issuer1MSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 0,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
        endorsementPolicy: { signaturePolicy: "OR('Issuer1MSP.peer')" },
      },
    ]);
  });

  it('uses the names the chaincode derives, and each passes Fabric\'s rule', function () {
    const names = collectionsConfig(net).map((c) => c.name);
    expect(names).to.have.members([issuerCollection('Issuer1MSP'), investorCollection('Issuer1MSP', 'Certifier1MSP')]);
    for (const name of names) expect(name).to.match(FABRIC_COLLECTION_NAME);
  });

  it('never names a bank: banks are neither members nor endorsers of any collection', function () {
    const text = renderCollectionsConfig(net);
    expect(text).to.not.contain('Bank1MSP');
    expect(text).to.not.contain('Bank2MSP');
  });

  it('renders the JSON file the peer CLI reads: an array with exactly Fabric\'s keys', function () {
    const file = JSON.parse(renderCollectionsConfig(net)) as Doc[];
    expect(file).to.have.length(2);
    for (const entry of file) expect(Object.keys(entry)).to.have.members(FABRIC_KEYS);
    expect(networkLayout(net).collectionsConfig).to.equal('/data/kyc/artifacts/collections.json');
  });

  it('larger consortium: every issuer × certifier pair, MSP IDs with dots encoded, peers counted per collection', function () {
    const doc = defaultDoc();
    doc.orgs.push(
      { name: 'certifier2', mspId: 'cert.two-MSP', role: 'certifier' },
      { name: 'issuer2', mspId: 'Issuer2MSP', role: 'issuer', peers: [{ name: 'peer0' }, { name: 'peer1' }, { name: 'peer2' }] },
    );
    const config = collectionsConfig(resolve(doc));
    expect(config.map((c) => [c.name, c.maxPeerCount])).to.deep.equal([
      ['investor__Issuer1MSP__Certifier1MSP', 1],
      ['investor__Issuer1MSP__cert_2etwo-MSP', 1],
      ['investor__Issuer2MSP__Certifier1MSP', 3],
      ['investor__Issuer2MSP__cert_2etwo-MSP', 3],
      ['issuer__Issuer1MSP', 0],
      ['issuer__Issuer2MSP', 2],
    ]);
    expect(config.find((c) => c.name === 'investor__Issuer2MSP__cert_2etwo-MSP')?.policy).to.equal("OR('Issuer2MSP.member','cert.two-MSP.member')");
    // A certifier's peer alone never satisfies the endorsement of any collection write.
    expect(config.map((c) => [c.name, c.endorsementPolicy.signaturePolicy])).to.deep.equal([
      ['investor__Issuer1MSP__Certifier1MSP', "OR('Issuer1MSP.peer')"],
      ['investor__Issuer1MSP__cert_2etwo-MSP', "OR('Issuer1MSP.peer')"],
      ['investor__Issuer2MSP__Certifier1MSP', "OR('Issuer2MSP.peer')"],
      ['investor__Issuer2MSP__cert_2etwo-MSP', "OR('Issuer2MSP.peer')"],
      ['issuer__Issuer1MSP', "OR('Issuer1MSP.peer')"],
      ['issuer__Issuer2MSP', "OR('Issuer2MSP.peer')"],
    ]);
    for (const c of config) expect(c.name).to.match(FABRIC_COLLECTION_NAME);
  });

  it('leaves out orgs that are not channel members (Fabric refuses collections naming them)', function () {
    const doc = defaultDoc();
    doc.orgs.push({ name: 'issuer2', mspId: 'Issuer2MSP', role: 'issuer' });
    doc.channel.members = ['certifier1', 'bank1', 'bank2', 'issuer1'];
    expect(collectionsConfig(resolve(doc)).map((c) => c.name)).to.deep.equal(['investor__Issuer1MSP__Certifier1MSP', 'issuer__Issuer1MSP']);
  });

  describe('idempotence of `up`', function () {
    it('the hash is stable for the same network and for orgs merely listed in another order', function () {
      expect(hashOf(resolve(defaultDoc()))).to.equal(hashOf(net));
      const reordered = defaultDoc();
      reordered.orgs.reverse();
      expect(hashOf(resolve(reordered))).to.equal(hashOf(net));
    });

    it('the hash changes when orgs change: another certifier, another issuer, a new peer, a changed MSP ID', function () {
      const variants: ((doc: Doc) => void)[] = [
        (doc) => doc.orgs.push({ name: 'certifier2', mspId: 'Certifier2MSP', role: 'certifier' }),
        (doc) => doc.orgs.push({ name: 'issuer2', mspId: 'Issuer2MSP', role: 'issuer' }),
        (doc) => (doc.orgs[3].peers = [{ name: 'peer0' }, { name: 'peer1' }]),
        (doc) => (doc.orgs[0].mspId = 'CertifierOneMSP'),
      ];
      const hashes = variants.map((change) => {
        const doc = defaultDoc();
        change(doc);
        return hashOf(resolve(doc));
      });
      expect(new Set([hashOf(net), ...hashes]).size).to.equal(variants.length + 1);
    });

    it('a bank joining changes nothing: banks hold no collection', function () {
      const doc = defaultDoc();
      doc.orgs.push({ name: 'bank3', mspId: 'Bank3MSP', role: 'bank' });
      expect(hashOf(resolve(doc))).to.equal(hashOf(net));
    });

    const wanted = { name: 'kyc', packageId: 'kyc:abc', endorsementPolicy: 'MAJORITY', collectionsHash: hashOf(net) };
    const deployed: DeployedChaincode = { ...wanted, sequence: 2 };

    it('same package, policy and collections at the committed sequence → unchanged', function () {
      expect(deploymentUnchanged(deployed, 2, wanted)).to.equal(true);
    });

    it('a changed collections config, or a record from before collections, → the next sequence', function () {
      const doc = defaultDoc();
      doc.orgs.push({ name: 'certifier2', mspId: 'Certifier2MSP', role: 'certifier' });
      expect(deploymentUnchanged(deployed, 2, { ...wanted, collectionsHash: hashOf(resolve(doc)) })).to.equal(false);
      const { collectionsHash: _, ...older } = deployed;
      expect(deploymentUnchanged(older, 2, wanted)).to.equal(false);
    });

    it('anything else changed or not matching the ledger → the next sequence', function () {
      expect(deploymentUnchanged(undefined, 2, wanted)).to.equal(false);
      expect(deploymentUnchanged(deployed, 0, wanted)).to.equal(false);
      expect(deploymentUnchanged(deployed, 3, wanted)).to.equal(false);
      expect(deploymentUnchanged(deployed, 2, { ...wanted, packageId: 'kyc:def' })).to.equal(false);
      expect(deploymentUnchanged(deployed, 2, { ...wanted, endorsementPolicy: 'ALL' })).to.equal(false);
    });
  });
});
