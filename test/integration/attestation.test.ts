import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { LEDGER_EVENT_NAME, parseLedgerEvent } from '@kyc-ledger/api';
import type { Attestation, AttestationStatus, Proposal, Receipt } from '@kyc-ledger/chaincode';
import { binaryPath, ordererFlags, peerCliEnv, type GatewayConnection, type Network } from '@kyc-ledger/network';
import { attestationRequest, PERSON } from '../support/attestationFixtures';
import { connectAs } from '../support/gatewayClient';
import { createTestNetwork, eventually, testProgress } from '../support/testNetwork';

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const json = <T>(bytes: Uint8Array) => JSON.parse(utf8(bytes)) as T;

/** The chaincode's coded error inside a fabric-gateway error. */
function codeOf(error: unknown): string | undefined {
  const messages = [(error as Error).message, ...((error as { details?: { message: string }[] }).details ?? []).map((d) => d.message)];
  for (const message of messages) {
    const match = /"code":"([A-Z_]+)"/.exec(message);
    if (match) return match[1];
  }
  return undefined;
}

async function failureCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return codeOf(error);
  }
  throw new Error('expected the transaction to fail');
}

/** The chaincode events (fabric-gateway's getChaincodeEvents) of the given committed transactions, by transaction id. */
async function chaincodeEventsOf(connection: GatewayConnection, channelName: string, txs: readonly { txId: string; block: bigint }[]): Promise<Map<string, { name: string; payload: Uint8Array }[]>> {
  const wanted = new Set(txs.map((t) => t.txId));
  const lastBlock = txs.reduce((max, t) => (t.block > max ? t.block : max), 0n);
  const startBlock = txs.reduce((min, t) => (t.block < min ? t.block : min), lastBlock);
  const channel = connection.gateway.getNetwork(channelName);
  const events = await channel.getChaincodeEvents(connection.contract.getChaincodeName(), { startBlock });
  const found = new Map<string, { name: string; payload: Uint8Array }[]>();
  const timer = setTimeout(() => events.close(), 30_000);
  try {
    for await (const event of events) {
      if (wanted.has(event.transactionId)) {
        const list = found.get(event.transactionId) ?? [];
        list.push({ name: event.eventName, payload: event.payload });
        found.set(event.transactionId, list);
      }
      // Events arrive in block order: once past the last block, every event of ours has come.
      if (event.blockNumber > lastBlock) break;
      if (found.size === wanted.size && event.blockNumber === lastBlock) break;
    }
  } catch (error) {
    if (found.size < wanted.size) throw error;
  } finally {
    clearTimeout(timer);
    events.close();
  }
  return found;
}

describe('attestations, consent receipts and governance on a real network (end-to-end)', function () {
  this.timeout(30 * 60_000);
  let network: Network;
  let certifier: GatewayConnection;
  let bank1: GatewayConnection;
  let bank2: GatewayConnection;
  let networkId: string;
  const registered: Attestation[] = [];

  before(async function () {
    network = createTestNetwork('attest', Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 2000);
    await network.up(testProgress());
    networkId = `${network.config.name}/${network.config.channel.name}`;
    certifier = connectAs(network, 'certifier1');
    bank1 = connectAs(network, 'bank1');
    bank2 = connectAs(network, 'bank2');
  });

  after(async function () {
    for (const c of [certifier, bank1, bank2]) c?.close();
    if (network && !process.env.KYC_TEST_KEEP) await network.prune();
  });

  it('bootstrapped the member registry from network.yaml at deployment', async function () {
    const members = json<{ mspId: string; roles: string[] }[]>(await bank1.contract.evaluateTransaction('registry:listMembers'));
    expect(members.map((m) => [m.mspId, m.roles])).to.deep.equal([
      ['Bank1MSP', ['bank']], ['Bank2MSP', ['bank']], ['Certifier1MSP', ['certifier']], ['Issuer1MSP', ['issuer']],
    ]);
    const acc = json<{ status: string; countries: string[] }>(await bank1.contract.evaluateTransaction('registry:getAccreditation', 'Certifier1MSP'));
    expect(acc.status).to.equal('active');
    expect(acc.countries).to.include('CH');
  });

  for (const kind of ['secp256k1', 'ed25519', 'p256', 'bitcoin-p2wpkh'] as const) {
    it(`registers an attestation for a ${kind} subject, and another bank's peer reports it valid`, async function () {
      const { input, key } = attestationRequest(networkId, { kind });
      const attestation = json<Attestation>(await certifier.contract.submitTransaction('attestation:register', JSON.stringify(input)));
      registered.push(attestation);
      // Submit returns once the certifier's own peer has committed; bank2's peer may be a moment behind.
      await eventually(async () => {
        const list = json<Attestation[]>(await bank2.contract.evaluateTransaction('attestation:listBySubject', key.accountId));
        expect(list.map((a) => a.id)).to.deep.equal([attestation.id]);
      }, 10_000, 100);
      const status = json<AttestationStatus>(await bank2.contract.evaluateTransaction('attestation:status', attestation.id, ''));
      expect(status).to.include({ valid: true, status: 'VALID' });
    });
  }

  it('refuses a bank registering an attestation, even through Fabric\'s raw peer CLI with a majority of peers', async function () {
    const { input } = attestationRequest(networkId);
    expect(await failureCode(bank1.contract.submitTransaction('attestation:register', JSON.stringify(input)))).to.equal('FORBIDDEN');
    const fabric = await network.fabric();
    const bank = network.config.orgs.find((o) => o.name === 'bank1');
    const peer = bank?.peers[0];
    if (!bank || !peer) throw new Error('bank1 missing');
    const peerFlags = network.config.orgs.slice(1).flatMap((org) => {
      const p = org.peers[0];
      if (!p) return [];
      return ['--peerAddresses', `${p.host}:${p.port}`, '--tlsRootCertFiles', network.layout.peer(org, p).tlsCa];
    });
    let output = '';
    try {
      execFileSync(binaryPath(fabric, 'peer'), [
        'chaincode', 'invoke', '-C', network.config.channel.name, '-n', network.config.chaincode.name, '--waitForEvent',
        '-c', JSON.stringify({ function: 'attestation:register', Args: [JSON.stringify(input)] }),
        ...ordererFlags(network.config, network.layout), ...peerFlags,
      ], { env: peerCliEnv(network.layout, bank, peer, fabric), encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stderr?: string }).stderr);
    }
    // The peer CLI prints the chaincode's error JSON with escaped quotes.
    expect(output.replace(/\\"/g, '"')).to.contain('"code":"FORBIDDEN"');
    expect(output).to.contain('Bank1MSP does not hold the certifier role');
    const list = json<Attestation[]>(await bank2.contract.evaluateTransaction('attestation:listBySubject', String(input.subject)));
    expect(list).to.deep.equal([]);
  });

  it('records a consent receipt once per session and bank, readable by that bank only', async function () {
    const attestation = registered[0];
    if (!attestation) throw new Error('no attestation registered');
    const receipt = { sessionIdHash: 'a1'.repeat(32), subject: attestation.subject, attestationId: attestation.id, result: 'verified', reasons: [], consentHash: 'c0'.repeat(32), salt: '5a'.repeat(32) };
    const privately = (msp: string) => ({ transientData: { receipt: JSON.stringify(receipt) }, endorsingOrganizations: [msp] });
    expect(json(await bank1.contract.submit('consent:record', privately('Bank1MSP')))).to.deep.equal({ recorded: 1, results: [{ recorded: true }] });
    expect(json<Receipt>(await bank1.contract.evaluateTransaction('consent:get', receipt.sessionIdHash)).bank).to.equal('Bank1MSP');
    expect(await failureCode(bank1.contract.submit('consent:record', privately('Bank1MSP')))).to.equal('SESSION_ALREADY_USED');
    for (const reader of [bank2, certifier]) expect(await failureCode(reader.contract.evaluateTransaction('consent:get', receipt.sessionIdHash))).to.equal('NOT_FOUND');
    // Bank Two's receipt for the same session goes to its own collection and leaves Bank One's alone.
    expect(json(await bank2.contract.submit('consent:record', privately('Bank2MSP')))).to.deep.equal({ recorded: 1, results: [{ recorded: true }] });
    expect(json<Receipt>(await bank2.contract.evaluateTransaction('consent:get', receipt.sessionIdHash)).bank).to.equal('Bank2MSP');
  });

  it('de-accredits a certifier by a majority of member admins; its attestations then fail at read time', async function () {
    const attestation = registered[0];
    if (!attestation) throw new Error('no attestation registered');
    const admins = ['bank1', 'bank2', 'issuer1'].map((org) => connectAs(network, org, 'admin'));
    try {
      const [first, ...others] = admins;
      if (!first) throw new Error('no admin');
      const submitted: { txId: string; block: bigint }[] = [];
      const submit = async (admin: GatewayConnection, fn: string, arg: string): Promise<Proposal> => {
        const tx = await admin.contract.submitAsync(fn, { arguments: [arg] });
        const status = await tx.getStatus();
        expect(status.successful, `${fn} committed`).to.equal(true);
        submitted.push({ txId: tx.getTransactionId(), block: status.blockNumber });
        return json<Proposal>(tx.getResult());
      };
      const proposal = await submit(first, 'registry:propose', JSON.stringify({ action: 'deaccredit', payload: { certifier: 'Certifier1MSP' } }));
      expect(proposal.status).to.equal('open');
      let last = proposal;
      for (const admin of others) last = await submit(admin, 'registry:approve', proposal.id);
      expect(last.status).to.equal('executed');
      // What a client listening to chaincode events gets: one event per transaction, and the
      // approval that executed the proposal reports both of its changes.
      const byTx = await chaincodeEventsOf(bank1, network.config.channel.name, submitted);
      expect(submitted.map((s) => byTx.get(s.txId)?.map((e) => e.name))).to.deep.equal([[LEDGER_EVENT_NAME], [LEDGER_EVENT_NAME], [LEDGER_EVENT_NAME]]);
      const changes = submitted.map((s) => byTx.get(s.txId)?.flatMap((e) => parseLedgerEvent(e.payload).changes) ?? []);
      // The executing approval also reports the revocation it made, at the transaction's time.
      const revokedAt = (changes[2]?.find((c) => c.type === 'AccreditationRevoked') as { revokedAt?: string } | undefined)?.revokedAt;
      expect(Number.isNaN(Date.parse(revokedAt ?? '')), `revokedAt ${revokedAt}`).to.equal(false);
      expect(changes).to.deep.equal([
        [{ type: 'ProposalCreated', id: proposal.id, action: 'deaccredit', proposer: 'Bank1MSP' }],
        [{ type: 'ProposalApproved', id: proposal.id, approver: 'Bank2MSP' }],
        [
          { type: 'ProposalApproved', id: proposal.id, approver: 'Issuer1MSP' },
          { type: 'AccreditationRevoked', certifier: 'Certifier1MSP', revokedAt },
          { type: 'ProposalExecuted', id: proposal.id, action: 'deaccredit' },
        ],
      ]);
    } finally {
      admins.forEach((a) => a.close());
    }
    // The last approval committed on issuer1's peer; the others may be a moment behind, and the
    // register below is endorsed by a majority of them.
    for (const reader of [bank1, bank2, certifier]) {
      await eventually(async () => {
        const status = json<AttestationStatus>(await reader.contract.evaluateTransaction('attestation:status', attestation.id, ''));
        expect(status).to.include({ valid: false, status: 'CERTIFIER_NOT_ACCREDITED' });
      }, 10_000, 100);
    }
    const { input } = attestationRequest(networkId);
    expect(await failureCode(certifier.contract.submitTransaction('attestation:register', JSON.stringify(input)))).to.equal('NOT_ACCREDITED');
  });

  it('writes no personal data: no block of the channel contains a field value, while the commitment roots are there', async function () {
    const fabric = await network.fabric();
    const org = network.config.orgs.find((o) => o.name === 'bank2');
    const peer = org?.peers[0];
    if (!org || !peer) throw new Error('bank2 missing');
    const env = peerCliEnv(network.layout, org, peer, fabric);
    const info = execFileSync(binaryPath(fabric, 'peer'), ['channel', 'getinfo', '-c', network.config.channel.name], { env, encoding: 'utf8' });
    const height = (JSON.parse(info.slice(info.indexOf('{'))) as { height: number }).height;
    const dir = mkdtempSync(path.join(tmpdir(), 'kyc-blocks-'));
    const blocks: Buffer[] = [];
    for (let n = 0; n < height; n++) {
      const file = path.join(dir, `${n}.block`);
      execFileSync(binaryPath(fabric, 'peer'), ['channel', 'fetch', String(n), file, '-c', network.config.channel.name, ...ordererFlags(network.config, network.layout)], { env, stdio: 'pipe' });
      blocks.push(readFileSync(file));
    }
    const all = Buffer.concat(blocks);
    // Positive control: the scan does find what is on the ledger.
    for (const a of registered) expect(all.includes(Buffer.from(a.commitmentRoot)), `root of ${a.id}`).to.equal(true);
    // Two-letter country codes are on the ledger on purpose (certification jurisdiction and
    // accreditation scope), so only the identifying values are searched for.
    for (const value of Object.values(PERSON).filter((v) => v.length >= 4)) {
      expect(all.includes(Buffer.from(value, 'utf8')), `value ${value}`).to.equal(false);
    }
    expect(blocks.length).to.be.greaterThan(5);
  });
});
