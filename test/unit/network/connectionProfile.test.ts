import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { caliperNetworkConfig, commonConnectionProfile, connectionProfile, loadNetwork, NetworkError, type ResolvedNetwork } from '@kyc-ledger/network';
import { networkLayout, type NetworkLayout } from '@kyc-ledger/network/dist/layout';
import { REPO_ROOT } from '../../support/testNetwork';
import { scratchDir } from '../../support/scratchDir';

const CLI = path.join(REPO_ROOT, 'network', 'dist', 'cli.js');
const NETWORK_FILE = path.join(REPO_ROOT, 'network.yaml');

/** The files cryptogen leaves for an org's User1 and Admin (names as cryptogen gives them). */
function fakeCrypto(net: ResolvedNetwork, layout: NetworkLayout, orgName: string): void {
  const org = net.orgs.find((o) => o.name === orgName);
  if (!org) throw new Error(orgName);
  for (const [who, msp] of [['User1', layout.orgUser(org).msp], ['Admin', layout.orgAdmin(org).msp]] as const) {
    mkdirSync(path.join(msp, 'signcerts'), { recursive: true });
    mkdirSync(path.join(msp, 'keystore'), { recursive: true });
    writeFileSync(path.join(msp, 'signcerts', `${who}@${org.domain}-cert.pem`), '-----BEGIN CERTIFICATE-----\n');
    writeFileSync(path.join(msp, 'keystore', 'priv_sk'), '-----BEGIN PRIVATE KEY-----\n');
  }
}

describe('connection profiles (kyc-network connection-profile)', function () {
  const dataDir = path.join(scratchDir('kyc-ccp-'), 'data');
  const net = loadNetwork(NETWORK_FILE, { dataDir, portBase: 42600 });
  const layout = networkLayout(net);
  fakeCrypto(net, layout, 'certifier1');
  fakeCrypto(net, layout, 'issuer1');
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, '-f', NETWORK_FILE, '--data-dir', dataDir, '--port-base', '42600', ...args], { encoding: 'utf8' });

  it('gathers the org\'s identities, peers with TLS CA and server name, orderers and gateway from the network and its data directory', function () {
    const p = connectionProfile(net, layout, 'certifier1');
    expect(p).to.include({ channel: 'kyc', chaincode: 'kyc', org: 'certifier1', mspId: 'Certifier1MSP', gatewayUrl: 'http://127.0.0.1:42610' });
    expect(p.identities.map((i) => [i.name, i.admin])).to.deep.equal([['User1', false], ['Admin', true]]);
    const user = p.identities[0];
    expect(user?.certificate).to.equal(path.join(layout.orgUser(net.orgs[0] as never).msp, 'signcerts', `User1@${net.orgs[0]?.domain}-cert.pem`));
    expect(user?.privateKey).to.match(/users\/User1@.*\/msp\/keystore\/priv_sk$/);
    const peer = net.orgs[0]?.peers[0];
    expect(p.peers).to.deep.equal([{ name: peer?.hostname, endpoint: `127.0.0.1:${peer?.port}`, tlsCaCert: layout.peer(net.orgs[0] as never, peer as never).tlsCa, serverName: peer?.hostname }]);
    expect(p.orderers.map((o) => o.endpoint)).to.deep.equal(net.ordererOrg.nodes.map((o) => `127.0.0.1:${o.port}`));
    expect(p.orderers.every((o) => o.tlsCaCert === layout.ordererTlsCa)).to.equal(true);
  });

  it('refuses an unknown org and an org whose crypto material is not there yet, with codes', function () {
    expect(() => connectionProfile(net, layout, 'bank9')).to.throw(NetworkError).with.property('code', 'UNKNOWN_ORG');
    expect(() => connectionProfile(net, layout, 'bank1')).to.throw(NetworkError).with.property('code', 'NOT_RUNNING');
  });

  it('renders a common connection profile whose peer entries a Fabric client dials over TLS with the server-name override', function () {
    const p = connectionProfile(net, layout, 'certifier1');
    const ccp = commonConnectionProfile(p) as { client: { organization: string }; organizations: Record<string, { peers: string[]; signedCert: { path: string } }>; peers: Record<string, { url: string; tlsCACerts: { path: string }; grpcOptions: Record<string, string> }>; channels: Record<string, { orderers: string[] }> };
    expect(ccp.client.organization).to.equal('Certifier1MSP');
    const [peerName] = ccp.organizations['Certifier1MSP']?.peers ?? [];
    expect(peerName).to.equal(p.peers[0]?.name);
    const entry = ccp.peers[peerName as string];
    expect(entry?.url).to.equal(`grpcs://${p.peers[0]?.endpoint}`);
    expect(entry?.tlsCACerts.path).to.equal(p.peers[0]?.tlsCaCert);
    expect(entry?.grpcOptions['ssl-target-name-override']).to.equal(p.peers[0]?.serverName);
    expect(ccp.organizations['Certifier1MSP']?.signedCert.path).to.equal(p.identities[1]?.certificate);
    expect(ccp.channels['kyc']?.orderers).to.have.length(net.ordererOrg.nodes.length);
  });

  it('renders Caliper 0.6\'s network configuration (version 2.0.0) naming each org\'s identities and profile', function () {
    const profiles = ['certifier1', 'issuer1'].map((o) => connectionProfile(net, layout, o));
    const config = caliperNetworkConfig(profiles, { Certifier1MSP: '/x/c.yaml', Issuer1MSP: '/x/i.yaml' }) as { version: string; caliper: { blockchain: string }; channels: { channelName: string; contracts: { id: string }[] }[]; organizations: { mspid: string; identities: { certificates: { name: string; admin?: boolean; clientPrivateKey: { path: string }; clientSignedCert: { path: string } }[] }; connectionProfile: { path: string } }[] };
    expect(config.version).to.equal('2.0.0');
    expect(config.caliper.blockchain).to.equal('fabric');
    expect(config.channels).to.deep.equal([{ channelName: 'kyc', contracts: [{ id: 'kyc' }] }]);
    expect(config.organizations.map((o) => [o.mspid, o.connectionProfile.path])).to.deep.equal([['Certifier1MSP', '/x/c.yaml'], ['Issuer1MSP', '/x/i.yaml']]);
    const [user, admin] = config.organizations[0]?.identities.certificates ?? [];
    expect(user).to.deep.equal({ name: 'User1', clientPrivateKey: { path: profiles[0]?.identities[0]?.privateKey }, clientSignedCert: { path: profiles[0]?.identities[0]?.certificate } });
    expect(admin).to.include({ name: 'Admin', admin: true });
    expect(() => caliperNetworkConfig(profiles, { Certifier1MSP: '/x/c.yaml' })).to.throw(/Issuer1MSP/);
  });

  it('prints the summary, the profile as YAML or JSON, and writes Caliper\'s files through the CLI', function () {
    this.timeout(90_000); // five CLI processes; each starts Node and loads the network tooling
    const summary = cli('connection-profile', 'certifier1');
    expect(summary.status, summary.stderr).to.equal(0);
    expect(summary.stdout).to.contain('Certifier1MSP').and.to.contain('TLS server name peer0.').and.to.contain('REST gateway: http://127.0.0.1:42610');
    const json = cli('--json', 'connection-profile', 'certifier1');
    expect(JSON.parse(json.stdout)).to.have.property('mspId', 'Certifier1MSP');
    const yaml = cli('connection-profile', 'certifier1', '--format', 'ccp');
    expect(parse(yaml.stdout)).to.have.nested.property('client.organization', 'Certifier1MSP');
    const ccpJson = cli('--json', 'connection-profile', 'certifier1', '--format', 'ccp');
    expect(JSON.parse(ccpJson.stdout)).to.have.property('version', '1.0.0');
    const out = path.join(scratchDir('kyc-caliper-cfg-'), 'cfg');
    const caliper = cli('--json', 'connection-profile', 'certifier1', 'issuer1', '--format', 'caliper', '--out-dir', out);
    expect(caliper.status, caliper.stderr).to.equal(0);
    const files = JSON.parse(caliper.stdout) as { networkConfig: string; connectionProfiles: Record<string, string> };
    const config = parse(readFileSync(files.networkConfig, 'utf8')) as { organizations: { mspid: string; connectionProfile: { path: string } }[] };
    expect(config.organizations.map((o) => o.mspid)).to.deep.equal(['Certifier1MSP', 'Issuer1MSP']);
    const issuerProfile = parse(readFileSync(config.organizations[1]?.connectionProfile.path as string, 'utf8')) as { client: { organization: string } };
    expect(issuerProfile.client.organization).to.equal('Issuer1MSP');
    // Paths to keys only, never a key's content, in every output and written file.
    const written = [files.networkConfig, ...Object.values(files.connectionProfiles)].map((f) => readFileSync(f, 'utf8'));
    for (const text of [summary.stdout, json.stdout, yaml.stdout, ccpJson.stdout, caliper.stdout, ...written]) expect(text).not.to.contain('PRIVATE KEY');
  });

  it('refuses, with exit 2 and a code, several orgs outside --format caliper, caliper without --out-dir, and an unknown org', function () {
    this.timeout(60_000);
    const several = cli('--json', 'connection-profile', 'certifier1', 'issuer1');
    expect(several.status).to.equal(2);
    expect(JSON.parse(several.stdout)).to.have.nested.property('error.code', 'INVALID_ARGUMENT');
    const noDir = cli('--json', 'connection-profile', 'certifier1', '--format', 'caliper');
    expect(JSON.parse(noDir.stdout)).to.have.nested.property('error.code', 'INVALID_ARGUMENT');
    const unknown = cli('connection-profile', 'bank9');
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr).to.contain('error UNKNOWN_ORG');
  });
});
