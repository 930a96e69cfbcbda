import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { buildConsentStatement, createDisclosure, signStatement, type WalletSubmission } from '@kyc-ledger/crypto';
import { createNetwork, loadNetwork, type GatewayEndpoint, type Network } from '@kyc-ledger/network';
import { attestationRequest } from '../support/attestationFixtures';
import { describeProbe, probeWrite, refusedAsNonMember } from '../support/probeWrite';
import { canCreateNetns, createNetns, type Netns } from '../support/netns';
import { describeLoad, startSteadyLoad, type SteadyLoad, type SteadyLoadReport } from '../support/steadyLoad';
import { eventually, REPO_ROOT, testProgress } from '../support/testNetwork';

const runFile = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'network', 'dist', 'cli.js');
/** 10.212.0.0/24 for the veth pair (hosts.test.ts uses 211). */
const SUBNET = 212;
const FIELDS = ['familyName', 'givenName'];

/** A `--json` answer of kyc-network: the result, or `{ error: { code, message, details } }` with exit code 1 or 2. */
type CliAnswer = Record<string, unknown> & { error?: { code: string; message: string; details?: Record<string, unknown> } };

/** Every regular file under `dir`, recursively (symbolic links not followed). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** The PEM private keys among `files` (small files only: ledgers and logs hold none), each with a file it is in. */
function privateKeys(files: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of files) {
    if (statSync(file).size > 16_384) continue;
    const text = readFileSync(file, 'utf8');
    for (const pem of text.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[^-]+-----END [A-Z ]*PRIVATE KEY-----/g) ?? []) keys.set(pem.replace(/\s+/g, ''), file);
  }
  return keys;
}

/**
 * Issue 11's whole flow on real processes: the default consortium runs on this machine's end of a
 * veth pair; a third bank makes its own keys inside its own network namespace (its own address,
 * its own directory), is added to the channel by a majority of the members' admins — each signing
 * in its own run of the tool — and to the member registry by governance, joins, and verifies a
 * person through its own gateway; then it is removed the same way and its peer's endorsement no
 * longer counts. A steady load of attestations and verifications runs throughout.
 */
describe('consortium: a third bank on its own host joins and leaves under load', function () {
  this.timeout(30 * 60_000);
  const base = Number(process.env.KYC_TEST_PORT_BASE ?? 17000) + 6000;
  let ns: Netns | undefined;
  let network: Network | undefined;
  let dataDir = '';
  let networkFile = '';
  /** bank3's own directory: its keys are made there, inside its namespace, and never leave it. */
  let bank3Dir = '';
  /** bank3's host: its network.yaml (the consortium's, with a data dir of bank3's own) and that data dir. */
  let bank3Host = '';
  let bank3NetworkFile = '';
  let gateways: Record<string, GatewayEndpoint> = {};
  let load: SteadyLoad | undefined;
  let report: SteadyLoadReport | undefined;
  let bank3Gateway: { url: string; apiKey: string } | undefined;

  /** kyc-network as one org's admin on this machine (no sync child: the load's requests keep flowing). */
  async function cli(...args: string[]): Promise<{ status: number; json: CliAnswer }> {
    try {
      const { stdout } = await runFile(process.execPath, [CLI, '-f', networkFile, '--json', ...args], { cwd: REPO_ROOT, maxBuffer: 16 << 20 });
      return { status: 0, json: JSON.parse(stdout) as CliAnswer };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (!failed.stdout) throw new Error(`kyc-network ${args.join(' ')}: ${failed.stderr ?? String(error)}`);
      return { status: typeof failed.code === 'number' ? failed.code : 1, json: JSON.parse(failed.stdout) as CliAnswer };
    }
  }

  /** kyc-network run by bank3 on its own host (inside its namespace), with its own network.yaml: the consortium's data dir is not named to it. */
  async function bank3Cli(...args: string[]): Promise<CliAnswer> {
    const { stdout } = await ns!.run(process.execPath, [CLI, '-f', bank3NetworkFile, '--json', ...args], { cwd: REPO_ROOT, timeoutMs: 10 * 60_000 });
    return JSON.parse(stdout) as CliAnswer;
  }

  /** The channel config's sequence and hash as bank1 sees it. */
  async function channelConfig(): Promise<{ sequence: number; hash: string; members: string[] }> {
    const { json } = await cli('channel', 'config', '--org', 'bank1');
    return json as unknown as { sequence: number; hash: string; members: string[] };
  }

  /** A majority of the members' admins make a registry change: `proposer` proposes, each of `approvers` approves in its own run. */
  async function governance(proposer: string, approvers: string[], ...propose: string[]): Promise<Record<string, unknown>> {
    const proposed = await cli('governance', 'propose', ...propose, '--org', proposer);
    expect(proposed.status, JSON.stringify(proposed.json)).to.equal(0);
    const id = (proposed.json['proposal'] as { id: string }).id;
    let last = proposed.json;
    for (const org of approvers) {
      const approved = await cli('governance', 'approve', id, '--org', org);
      expect(approved.status, JSON.stringify(approved.json)).to.equal(0);
      last = approved.json;
    }
    return last;
  }

  /** A channel config update computed by `computer`, signed by each of `signers` (own runs), submitted by `submitter`. */
  async function updateChannel(computeArgs: string[], computer: string, signers: string[], submitter: string, name: string): Promise<{ status: number; json: CliAnswer }> {
    const updateFile = path.join(dataDir, `${name}.pb`);
    const computed = await cli('channel', ...computeArgs, '--org', computer, '--out', updateFile);
    expect(computed.status, JSON.stringify(computed.json)).to.equal(0);
    const signatures: string[] = [];
    for (const org of signers) {
      const file = path.join(dataDir, `${name}.${org}.sig`);
      const signed = await cli('channel', 'sign', updateFile, '--org', org, '--out', file);
      expect(signed.status, JSON.stringify(signed.json)).to.equal(0);
      signatures.push(file);
    }
    return cli('channel', 'submit', updateFile, '--org', submitter, '--signatures', ...signatures);
  }

  /**
   * Nothing of bank3 (its domain, its private keys) is under the consortium's data dir, and no
   * private key of the consortium's orgs is under bank3's host directory.
   */
  function expectKeysApart(): void {
    const consortiumFiles = filesUnder(dataDir);
    const bank3Files = filesUnder(bank3Host);
    expect(consortiumFiles.filter((f) => f.includes('bank3.example.com')), 'bank3\'s material in the consortium\'s data dir').to.deep.equal([]);
    const consortiumKeys = privateKeys(consortiumFiles);
    const bank3Keys = privateKeys(bank3Files);
    expect(consortiumKeys.size, 'the consortium\'s private keys').to.be.greaterThan(0);
    expect([...bank3Keys.values()].some((f) => f.includes('bank3.example.com')), 'bank3\'s own private keys').to.equal(true);
    expect([...bank3Keys.keys()].filter((k) => consortiumKeys.has(k)).map((k) => bank3Keys.get(k)), 'a private key on both hosts').to.deep.equal([]);
  }

  async function post(url: string, body: unknown, apiKey?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(apiKey && { 'x-api-key': apiKey }) }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  before(async function () {
    if (!canCreateNetns()) this.skip();
    ns = await createNetns('kyc-consortium-it', SUBNET);
    dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-consortium-'));
    bank3Host = mkdtempSync(path.join(tmpdir(), 'kyc-bank3-host-'));
    bank3Dir = path.join(bank3Host, 'bank3');
    const doc = parse(readFileSync(path.join(REPO_ROOT, 'network.yaml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    doc.name = 'kyc-test-consortium';
    doc.dataDir = dataDir;
    doc.ports = { base };
    doc.chaincode.path = path.join(REPO_ROOT, 'chaincode');
    doc.ordererOrg.host = ns.hostAddress;
    doc.orgs = (doc.orgs as object[]).map((o) => ({ ...o, host: ns!.hostAddress }));
    doc.privateChains = [];
    networkFile = path.join(dataDir, 'network.yaml');
    writeFileSync(networkFile, stringify(doc));
    // What bank3 knows of the consortium: the same file, but its data dir is bank3's own.
    bank3NetworkFile = path.join(bank3Host, 'network.yaml');
    writeFileSync(bank3NetworkFile, stringify({ ...doc, dataDir: path.join(bank3Host, 'data') }));
    network = createNetwork(loadNetwork(networkFile));
    const up = await network.up(testProgress());
    gateways = Object.fromEntries(up.gateways.map((g) => [g.org, g]));
    const gw = (org: string) => ({ org, url: gateways[org]!.url, apiKey: gateways[org]!.apiKey });
    load = startSteadyLoad({ networkId: `${network.config.name}/${network.config.channel.name}`, certifier: gw('certifier1'), banks: [gw('bank1'), gw('bank2')], log: (line) => console.log(`      ${line}`) });
  });

  after(async function () {
    if (load && !report) report = await load.stop().catch(() => undefined);
    if (ns && bank3Dir) await bank3Cli('org', 'stop', bank3Dir).catch(() => undefined);
    if (network) await (process.env.KYC_TEST_KEEP ? network.down() : network.prune()).catch(() => undefined);
    await ns?.delete();
    if (!process.env.KYC_TEST_KEEP) {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      if (bank3Host) await rm(bank3Host, { recursive: true, force: true });
    }
  });

  it('bank3 makes its own keys on its own host; what it hands over is certificates only', async function () {
    const made = await bank3Cli('org', 'init', 'bank3', '--msp-id', 'Bank3MSP', '--domain', 'bank3.example.com', '--host', ns!.nsAddress,
      '--peer-port', String(base + 300), '--role', 'bank', '--out', bank3Dir);
    expect(made['anchorPeer']).to.deep.equal({ host: ns!.nsAddress, port: base + 300 });
    expect(readFileSync(path.join(bank3Dir, 'definition.json'), 'utf8')).not.to.contain('PRIVATE KEY');
    expectKeysApart();
  });

  it('too few signatures: refused, the channel config unchanged; a majority adds bank3', async function () {
    const before = await channelConfig();
    const refused = await updateChannel(['add-org', path.join(bank3Dir, 'definition.json')], 'bank1', ['certifier1'], 'bank1', 'add-bank3-few');
    expect(refused.status).to.equal(1);
    expect(refused.json.error?.code).to.equal('NOT_ENOUGH_SIGNATURES');
    expect(await channelConfig()).to.deep.include({ sequence: before.sequence, hash: before.hash });

    const added = await updateChannel(['add-org', path.join(bank3Dir, 'definition.json')], 'bank1', ['certifier1', 'issuer1'], 'bank2', 'add-bank3');
    expect(added.status, JSON.stringify(added.json)).to.equal(0);
    await eventually(async () => expect((await channelConfig()).members).to.include('Bank3MSP'), 60_000, 1000);
  });

  it('the registry gains bank3 as a bank by governance (3 of 4 admins)', async function () {
    const executed = await governance('bank1', ['bank2', 'certifier1'], 'addMember', '--msp-id', 'Bank3MSP', '--display-name', 'Bank Three', '--roles', 'bank');
    expect(executed['proposal']).to.deep.include({ action: 'addMember', status: 'executed' });
    const members = await cli('governance', 'members', '--org', 'bank1');
    expect(JSON.stringify(members.json)).to.contain('Bank3MSP');
  });

  it('bank3 joins from its own host with its own key, starts its gateway and verifies a person through it', async function () {
    // What the consortium hands over: the orderers' address and their TLS CA certificate.
    const ordererCa = path.join(bank3Dir, 'orderer-tlsca.pem');
    copyFileSync(network!.layout.ordererTlsCa, ordererCa);
    const orderer = network!.config.ordererOrg.nodes[0]!;
    await bank3Cli('org', 'start', bank3Dir);
    const joined = await bank3Cli('org', 'join', bank3Dir, '--orderer', `${orderer.host}:${orderer.port}`, '--orderer-ca', ordererCa);
    expect(joined).to.deep.include({ joined: 'joined', anchorPeer: 'set' });
    const started = await bank3Cli('org', 'start', bank3Dir);
    const gateway = (started['gateways'] as GatewayEndpoint[])[0];
    expect(gateway?.url).to.equal(`http://${ns!.nsAddress}:${gateway?.port}`);
    expect(started['sessionCertificatePublished']).to.deep.equal(['Bank3MSP']);
    bank3Gateway = { url: gateway!.url, apiKey: gateway!.apiKey };
    // Joined and serving: still no key crossed between the hosts.
    expectKeysApart();

    // A person certified by certifier1 (on the consortium's host) verified at bank3's own gateway.
    const person = attestationRequest(`${network!.config.name}/${network!.config.channel.name}`, { kind: 'ed25519', certifier: 'Certifier1MSP' });
    const attested = await post(`${gateways['certifier1']!.url}/v1/attestations`, person.input, gateways['certifier1']!.apiKey);
    expect(attested.status, JSON.stringify(attested.body)).to.be.oneOf([200, 201]);
    const attestationId = (attested.body['attestation'] as { id: string }).id;
    const verdict = await eventually(async () => {
      const created = await post(`${bank3Gateway!.url}/v1/sessions`, { fields: FIELDS, claimTopics: ['identity'], ttlSeconds: 600 }, bank3Gateway!.apiKey);
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const session = created.body['session'] as Parameters<typeof buildConsentStatement>[0];
      const consent = buildConsentStatement(session, { attestationId, address: person.key.accountId });
      const submission: WalletSubmission = { consent, signature: signStatement(consent, person.key), disclosure: createDisclosure(person.commitment, FIELDS) };
      const answer = await post(`${bank3Gateway!.url}/v1/sessions/submissions`, submission);
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      return answer.body;
    }, 60_000, 2000);
    expect(verdict['verified'], JSON.stringify(verdict)).to.equal(true);
    // bank3's peer endorses: a write endorsed by it and two others (3 of 5) commits.
    await eventually(async () => {
      const outcome = await probeWrite(network!, 'with-bank3', ['Bank3MSP', 'Bank1MSP', 'Certifier1MSP']);
      if (!outcome.committed) throw new Error(`not yet: ${describeProbe(outcome)}`);
    }, 60_000, 2000);
  });

  it('bank3 is removed after a dry run; its peer\'s endorsement no longer counts', async function () {
    const executed = await governance('bank1', ['bank2', 'certifier1'], 'removeMember', '--msp-id', 'Bank3MSP');
    expect(executed['proposal']).to.deep.include({ action: 'removeMember', status: 'executed' });
    const dryRun = await cli('channel', 'remove-org', 'Bank3MSP', '--org', 'bank1', '--dry-run');
    expect(dryRun.status, JSON.stringify(dryRun.json)).to.equal(0);
    expect(dryRun.json['safe'], JSON.stringify(dryRun.json)).to.equal(true);
    const removed = await updateChannel(['remove-org', 'Bank3MSP'], 'bank1', ['certifier1', 'issuer1'], 'bank2', 'remove-bank3');
    expect(removed.status, JSON.stringify(removed.json)).to.equal(0);
    await eventually(async () => expect((await channelConfig()).members).not.to.include('Bank3MSP'), 60_000, 1000);
    // Refused for the right reason: bank3 is not on the channel (not a gateway down or a timeout).
    const afterRemoval = await probeWrite(network!, 'after-removal', ['Bank3MSP', 'Bank1MSP', 'Certifier1MSP']);
    expect(refusedAsNonMember(afterRemoval, 'Bank3MSP'), describeProbe(afterRemoval)).to.equal(true);
    const withoutBank3 = await probeWrite(network!, 'without-bank3', ['Bank2MSP', 'Bank1MSP', 'Certifier1MSP']);
    expect(withoutBank3.committed, describeProbe(withoutBank3)).to.equal(true);
  });

  it('the load ran throughout: no client request failed after retries', async function () {
    report = await load!.stop();
    console.log(`      steady load over the whole flow: ${describeLoad(report)}`);
    expect(report.ok).to.be.greaterThan(0);
    expect(report.failedAfterRetries, JSON.stringify(report.failures.slice(0, 5))).to.equal(0);
  });
});
