import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { peer as peerProtos } from '@hyperledger/fabric-protos';
import { investorCollection, issuerCollection } from '@kyc-ledger/chaincode';
import { binaryPath, peerCliEnv, type Network, type NetworkStatus } from '@kyc-ledger/network';
import { connectAs } from '../support/gatewayClient';
import { createTestNetwork, eventually, sleep, testProgress } from '../support/testNetwork';

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

function heights(status: NetworkStatus, kind: 'orderer' | 'peer'): Record<string, number | undefined> {
  return Object.fromEntries(status.nodes.filter((n) => n.kind === kind).map((n) => [n.id, n.height]));
}

/** PIDs of the chaincode processes a peer launched through our external builder (read from /proc). */
function chaincodePids(chaincodePort: number): number[] {
  const needle = ['fabric-shim/cli.js', 'start', '--peer.address', `127.0.0.1:${chaincodePort}`, ''].join('\u0000');
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(needle);
    } catch {
      return false;
    }
  }).map(Number);
}

/**
 * A collection as `peer lifecycle chaincode querycommitted --output json` prints it: Go's
 * encoding/json of the protobuf structs, so oneof wrappers keep their Go names and zero values are
 * left out.
 */
interface CommittedCollection {
  Payload?: { StaticCollectionConfig?: { name?: string; maximum_peer_count?: number; required_peer_count?: number; block_to_live?: number; member_only_read?: boolean; member_only_write?: boolean; endorsement_policy?: unknown } };
}

interface CommittedDefinition {
  sequence: number;
  approvals: Record<string, boolean>;
  collections?: { config?: CommittedCollection[] };
}

function committedDefinition(network: Network, fabric: Awaited<ReturnType<Network['fabric']>>): CommittedDefinition {
  const org = network.config.orgs.find((o) => o.name === 'issuer1');
  const peer = org?.peers[0];
  if (!org || !peer) throw new Error('issuer1 missing');
  const committed = execFileSync(binaryPath(fabric, 'peer'), ['lifecycle', 'chaincode', 'querycommitted', '-C', 'kyc', '-n', 'kyc', '--output', 'json'], { env: peerCliEnv(network.layout, org, peer, fabric), encoding: 'utf8' });
  return JSON.parse(committed) as CommittedDefinition;
}

function committedCollections(definition: CommittedDefinition) {
  return (definition.collections?.config ?? []).map((c) => {
    const s = c.Payload?.StaticCollectionConfig ?? {};
    return {
      name: s.name,
      requiredPeerCount: s.required_peer_count ?? 0,
      maxPeerCount: s.maximum_peer_count ?? 0,
      blockToLive: s.block_to_live ?? 0,
      memberOnlyRead: s.member_only_read ?? false,
      memberOnlyWrite: s.member_only_write ?? false,
      hasEndorsementPolicy: s.endorsement_policy !== undefined,
    };
  });
}

const EXPECTED_COLLECTIONS = [
  { name: investorCollection('Issuer1MSP', 'Certifier1MSP'), requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 0, memberOnlyRead: true, memberOnlyWrite: true, hasEndorsementPolicy: true },
  { name: issuerCollection('Issuer1MSP'), requiredPeerCount: 0, maxPeerCount: 0, blockToLive: 0, memberOnlyRead: true, memberOnlyWrite: true, hasEndorsementPolicy: true },
];


/** The first peer's message of a fabric-gateway call that must fail (it carries the chaincode's coded error). */
async function peerRefusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return String((error as { details?: { message: string }[] }).details?.[0]?.message);
  }
  throw new Error('the call succeeded; a refusal was expected');
}

describe('a real Fabric network from network.yaml (end-to-end)', function () {
  // A cold run builds Fabric from source first.
  this.timeout(30 * 60_000);
  let network: Network;

  before(async function () {
    network = createTestNetwork('e2e');
    const result = await network.up(testProgress());
    expect(result.chaincode.action).to.equal('deployed');
  });

  after(async function () {
    if (!network) return;
    if (process.env.KYC_TEST_KEEP) return;
    await network.prune();
  });

  it('runs every node healthy at the same block height', async function () {
    const status = await network.status();
    expect(status.nodes.map((n) => n.kind)).to.deep.equal(['orderer', 'orderer', 'orderer', 'peer', 'peer', 'peer', 'peer', 'gateway', 'gateway', 'gateway', 'gateway', 'evm-chain', 'rpc-adapter']);
    for (const node of status.nodes) {
      expect(node, node.id).to.include({ running: true, healthy: true });
    }
    // The institution chain (network.yaml's issuer1-evm) answers with its own head block.
    expect(status.nodes.find((n) => n.kind === 'evm-chain')).to.include({ id: 'issuer1-evm', org: 'issuer1' }).and.have.property('height').that.is.a('number');
    const all = new Set(status.nodes.filter((n) => n.kind === 'orderer' || n.kind === 'peer').map((n) => n.height));
    expect(all.size, JSON.stringify(heights(status, 'peer'))).to.equal(1);
  });

  it('commits a transaction submitted by one org and reads it through another org\'s peer', async function () {
    // probe:put is for org admins only (a member's client identity is refused: see the next test).
    const certifier = connectAs(network, 'certifier1', 'admin');
    const bank2 = connectAs(network, 'bank2');
    try {
      await certifier.contract.submitTransaction('probe:put', 'cross-org', 'written-by-certifier');
      const record = JSON.parse(utf8(await bank2.contract.evaluateTransaction('probe:get', 'Certifier1MSP', 'cross-org'))) as Record<string, string>;
      expect(record).to.include({ key: 'cross-org', value: 'written-by-certifier', writerMspId: 'Certifier1MSP' });
    } finally {
      certifier.close();
      bank2.close();
    }
  });

  it('refuses probe:put from a member\'s client identity (a bank\'s gateway user) with FORBIDDEN', async function () {
    const bank1 = connectAs(network, 'bank1');
    try {
      expect(await peerRefusal(bank1.contract.submitTransaction('probe:put', 'by-a-client', 'x'))).to.contain('"code":"FORBIDDEN"');
    } finally {
      bank1.close();
    }
  });

  it('rejects a write endorsed by a single org\'s peer (ENDORSEMENT_POLICY_FAILURE) and writes nothing', async function () {
    const bank1 = connectAs(network, 'bank1', 'admin');
    try {
      const proposal = bank1.contract.newProposal('probe:put', { arguments: ['single-org', 'forged'], endorsingOrganizations: ['Bank1MSP'] });
      const transaction = await proposal.endorse();
      const commit = await transaction.submit();
      const status = await commit.getStatus();
      expect(status.successful).to.equal(false);
      expect(status.code).to.equal(peerProtos.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
      expect(await peerRefusal(bank1.contract.evaluateTransaction('probe:get', 'Bank1MSP', 'single-org'))).to.contain('"code":"NOT_FOUND"');
    } finally {
      bank1.close();
    }
  });

  it('answers Fabric\'s own peer CLI: chaincode query and lifecycle querycommitted', async function () {
    const fabric = await network.fabric();
    const org = network.config.orgs.find((o) => o.name === 'issuer1');
    const peer = org?.peers[0];
    if (!org || !peer) throw new Error('issuer1 missing');
    const env = peerCliEnv(network.layout, org, peer, fabric);
    const peerBin = binaryPath(fabric, 'peer');
    const definition = committedDefinition(network, fabric);
    expect(definition.sequence).to.equal(1);
    expect(definition.approvals).to.deep.equal({ Bank1MSP: true, Bank2MSP: true, Certifier1MSP: true, Issuer1MSP: true });
    expect(committedCollections(definition)).to.deep.equal(EXPECTED_COLLECTIONS);
    const value = execFileSync(peerBin, ['chaincode', 'query', '-C', 'kyc', '-n', 'kyc', '-c', '{"function":"probe:get","Args":["Certifier1MSP","cross-org"]}'], { env, encoding: 'utf8' });
    expect(JSON.parse(value)).to.include({ value: 'written-by-certifier' });
  });

  it('keeps committing with one of three orderers SIGKILLed, and the restarted orderer catches up', async function () {
    const victim = 'orderer0';
    expect(await network.killNode(victim)).to.equal(true);
    const bank1 = connectAs(network, 'bank1', 'admin');
    try {
      for (let i = 0; i < 5; i++) {
        // A Raft leader loss needs a new election (a few seconds); the client retries broadcast only.
        await eventually(() => bank1.contract.submitTransaction('probe:put', `after-kill-${i}`, String(i)), 60_000, 1000);
      }
      const during = await network.status();
      expect(during.nodes.find((n) => n.id === victim)?.running).to.equal(false);
      await network.startNode(victim);
      await eventually(async () => {
        const status = await network.status();
        const orderers = heights(status, 'orderer');
        expect(new Set(Object.values(orderers)).size, JSON.stringify(orderers)).to.equal(1);
        expect(orderers[victim]).to.equal(status.nodes.find((n) => n.id === 'peer0.bank1')?.height);
      }, 60_000, 1000);
      const record = JSON.parse(utf8(await bank1.contract.evaluateTransaction('probe:get', 'Bank1MSP', 'after-kill-4'))) as { value: string };
      expect(record.value).to.equal('4');
    } finally {
      bank1.close();
    }
  });

  it('brings a SIGKILLed chaincode process back (the peer relaunches it)', async function () {
    const bank2Peer = network.config.orgs.find((o) => o.name === 'bank2')?.peers[0];
    if (!bank2Peer) throw new Error('bank2 missing');
    const bank2 = connectAs(network, 'bank2');
    try {
      await bank2.contract.evaluateTransaction('probe:ping');
      const before = chaincodePids(bank2Peer.chaincodePort);
      expect(before, 'a chaincode process serves bank2').to.have.length.greaterThan(0);
      for (const pid of before) process.kill(pid, 'SIGKILL');
      await sleep(500);
      const pong = await eventually(() => bank2.contract.evaluateTransaction('probe:ping'), 60_000, 1000);
      expect(JSON.parse(utf8(pong))).to.include({ ok: true, mspId: 'Bank2MSP' });
      const after = chaincodePids(bank2Peer.chaincodePort);
      expect(after).to.have.length.greaterThan(0);
      expect(after.filter((pid) => before.includes(pid))).to.deep.equal([]);
    } finally {
      bank2.close();
    }
  });

  it('stops, starts again with the ledger intact, and leaves the deployed chaincode as it was', async function () {
    await network.down();
    const stopped = await network.status();
    expect(stopped.nodes.filter((n) => n.running)).to.deep.equal([]);
    expect(chaincodePids(network.config.orgs[0]?.peers[0]?.chaincodePort ?? 0)).to.deep.equal([]);

    const again = await network.up(testProgress());
    expect(again.chaincode.action).to.equal('unchanged');
    expect(again.fabric.source).to.not.equal('built');
    const bank1 = connectAs(network, 'bank1');
    try {
      const record = JSON.parse(utf8(await bank1.contract.evaluateTransaction('probe:get', 'Certifier1MSP', 'cross-org'))) as { value: string };
      expect(record.value).to.equal('written-by-certifier');
    } finally {
      bank1.close();
    }
  });

  it('upgrades a definition recorded before collections existed to the next sequence, collections kept', async function () {
    const recordFile = path.join(network.layout.root, 'chaincode.json');
    const { collectionsHash, ...older } = JSON.parse(readFileSync(recordFile, 'utf8')) as { collectionsHash?: string };
    expect(collectionsHash).to.match(/^[0-9a-f]{64}$/);
    writeFileSync(recordFile, JSON.stringify(older, null, 2));

    const again = await network.up(testProgress());
    expect(again.chaincode).to.include({ action: 'upgraded', sequence: 2, collectionsHash });
    const definition = committedDefinition(network, await network.fabric());
    expect(definition.sequence).to.equal(2);
    expect(committedCollections(definition)).to.deep.equal(EXPECTED_COLLECTIONS);
  });

  it('refuses to start a second network on ports that are already taken', async function () {
    let failure: unknown;
    const clash = createTestNetwork('clash', network.config.portBase);
    try {
      await clash.up(testProgress());
    } catch (error) {
      failure = error;
    } finally {
      await rm(clash.layout.root, { recursive: true, force: true });
    }
    expect(failure).to.have.property('code', 'PORT_IN_USE');
    expect(existsSync(clash.layout.cryptoDir)).to.equal(false);
  });
});
