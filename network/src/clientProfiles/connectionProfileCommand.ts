import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { NetworkError } from '../errors';
import { networkLayout } from '../layout';
import type { ResolvedNetwork } from '../networkConfig';
import { commonConnectionProfile } from './commonConnectionProfile';
import { connectionProfile, type ConnectionProfile } from './connectionProfile';
import { writeCaliperFiles } from './writeCaliperFiles';

/** What the `connection-profile` command borrows from the main CLI (its global options live there). */
export interface ConnectionProfileHooks {
  load(): ResolvedNetwork;
  /** Whether --json was given. */
  json(): boolean;
}

type Format = 'summary' | 'ccp' | 'caliper';

function printSummary(p: ConnectionProfile): void {
  console.log(`${p.org} (${p.mspId}) on network ${p.network}: channel ${p.channel}, chaincode ${p.chaincode}`);
  console.log('client identities:');
  for (const i of p.identities) console.log(`  ${i.name.padEnd(6)} certificate ${i.certificate}\n         private key ${i.privateKey}`);
  const nodes = (title: string, list: ConnectionProfile['peers']) => {
    console.log(`${title}:`);
    for (const n of list) console.log(`  ${n.endpoint.padEnd(21)} TLS server name ${n.serverName}  TLS CA ${n.tlsCaCert}`);
  };
  nodes('peers (Fabric Gateway service)', p.peers);
  nodes('orderers', p.orderers);
  console.log(`REST gateway: ${p.gatewayUrl ?? 'none (not a channel member)'}`);
}

/**
 * `kyc-network connection-profile <org> [more…]`: what an outside client (an SDK application,
 * Hyperledger Caliper) needs to connect as an org, as a plain summary, a Fabric common connection
 * profile, or Caliper's network configuration with the profiles it names (written to files).
 */
export function registerConnectionProfileCommand(program: Command, hooks: ConnectionProfileHooks): void {
  program.command('connection-profile <org> [more...]')
    .description('how an outside client (Fabric SDK, Caliper) connects as <org>: identities, peers, TLS CAs and server names, orderers, gateway URL')
    .addOption(new Option('--format <format>', 'summary; ccp (Fabric common connection profile, YAML or JSON with --json); caliper (writes Caliper\'s network config and profiles to --out-dir)').choices(['summary', 'ccp', 'caliper']).default('summary'))
    .option('--out-dir <dir>', 'with --format caliper: where to write network-config.yaml and <org>.connection-profile.yaml')
    .action((orgName: string, more: string[], opts: { format: Format; outDir?: string }) => {
      const net = hooks.load();
      const layout = networkLayout(net);
      const names = [orgName, ...more];
      if (opts.format !== 'caliper' && names.length > 1) {
        throw new NetworkError('INVALID_ARGUMENT', `--format ${opts.format} describes one org; only --format caliper takes several (${names.join(', ')})`);
      }
      if (opts.format === 'caliper' && !opts.outDir) throw new NetworkError('INVALID_ARGUMENT', '--format caliper needs --out-dir <dir> (Caliper reads connection profiles from files)');
      const profiles = names.map((name) => connectionProfile(net, layout, name));
      const [first] = profiles as [ConnectionProfile];
      if (opts.format === 'summary') {
        if (hooks.json()) console.log(JSON.stringify(first, null, 2));
        else printSummary(first);
      } else if (opts.format === 'ccp') {
        const ccp = commonConnectionProfile(first);
        console.log(hooks.json() ? JSON.stringify(ccp, null, 2) : stringify(ccp).trimEnd());
      } else {
        const files = writeCaliperFiles(profiles, opts.outDir as string);
        if (hooks.json()) console.log(JSON.stringify(files, null, 2));
        else {
          console.log(`Caliper network configuration: ${files.networkConfig}`);
          for (const [msp, file] of Object.entries(files.connectionProfiles)) console.log(`  ${msp} connection profile: ${file}`);
        }
      }
    });
}
