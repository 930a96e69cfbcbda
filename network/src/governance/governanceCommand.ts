import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { PROPOSAL_STATUSES, type ProposalStatus } from '@kyc-ledger/api';
import { NetworkError } from '../errors';
import { networkLayout } from '../layout';
import type { ResolvedNetwork, ResolvedOrg } from '../networkConfig';
import { accreditationsText, membersText, proposalsText, proposalText, ruleSetsText, writeText } from './governanceText';
import { GOVERNANCE_ACTIONS, proposalInput, type ProposalFlags } from './proposalInput';
import { RegistryClient, type StoredBankingRuleSet } from './registryClient';

/** What the governance commands take from the main CLI: its network and its output convention. */
export interface GovernanceCliDeps {
  /** The network the global options (--file, --data-dir, …) select. */
  load(): ResolvedNetwork;
  /** Prints `json` with --json, else runs `human`. */
  output(json: unknown, human: () => void): void;
}

const ID = /^[0-9a-f]{64}$/;

function memberOrg(net: ResolvedNetwork, name: string | undefined): ResolvedOrg {
  const members = net.orgs.filter((o) => net.channel.members.includes(o.name));
  const org = name === undefined ? members[0] : members.find((o) => o.name === name);
  if (!org) throw new NetworkError('INVALID_ARGUMENT', `no member org "${name ?? ''}" (member orgs: ${members.map((o) => o.name).join(', ')})`);
  return org;
}

function proposalId(id: string): string {
  if (!ID.test(id)) throw new NetworkError('INVALID_ARGUMENT', `"${id}" is not a proposal id (64 lower-case hex digits, as propose and list print it)`);
  return id;
}

/** The version in force now: the latest effective date that has come. */
function inForce(list: readonly StoredBankingRuleSet[], now = Date.now()): string | undefined {
  let best: StoredBankingRuleSet | undefined;
  for (const v of list) {
    const from = Date.parse(v.ruleSet.effectiveFrom);
    if (from <= now && (!best || from >= Date.parse(best.ruleSet.effectiveFrom))) best = v;
  }
  return best?.hash;
}

/**
 * `kyc-network governance …`: the registry's proposals (propose, list, show, approve) and its
 * reads (members, accreditations, rule-sets). Writes act as `--org`'s own admin, from that org's
 * crypto material only; the chaincode executes a proposal once admins of a majority of active
 * member orgs approved it.
 */
export function governanceCommand(deps: GovernanceCliDeps): Command {
  const withClient = async <T>(orgName: string | undefined, fn: (client: RegistryClient) => Promise<T>): Promise<T> => {
    const net = deps.load();
    const layout = networkLayout(net);
    const org = memberOrg(net, orgName);
    const peer = org.peers[0];
    if (!peer || !existsSync(layout.peer(org, peer).tlsCa)) {
      throw new NetworkError('NOT_RUNNING', `no crypto material for ${org.name} in ${layout.cryptoDir}: is the network up (kyc-network up)?`);
    }
    const client = new RegistryClient(net, layout, org);
    try {
      return await fn(client);
    } finally {
      client.close();
    }
  };
  const readOrg = new Option('--org <org>', 'read through this member org\'s peer, as its client user (default: the first member org)');
  const command = new Command('governance').description('consortium governance: propose, list, show and approve registry changes; read members, accreditations and banking rule sets');

  command.command('propose <action>')
    .description(`propose a registry change as --org's admin (actions: ${GOVERNANCE_ACTIONS.join(', ')}); the proposer's approval counts`)
    .requiredOption('--org <org>', 'the proposing member org (its own admin identity signs)')
    .option('--payload-file <file>', 'the payload as JSON or YAML (required for publishRuleSet: the banking rule set)')
    .option('--msp-id <mspId>', 'addMember, removeMember: the org\'s MSP ID')
    .option('--display-name <name>', 'addMember: the org\'s display name (not `--name`: that global option overrides the network name)')
    .option('--roles <roles>', 'addMember: comma-separated roles (certifier, bank, issuer)')
    .option('--certifier <mspId>', 'accredit, deaccredit: the certifier\'s MSP ID')
    .option('--countries <codes>', 'accredit: comma-separated ISO 3166-1 alpha-2 codes')
    .option('--claim-topics <topics>', 'accredit: comma-separated claim topics')
    .option('--max-assurance <level>', 'accredit: low, substantial or high')
    .option('--valid-from <time>', 'accredit: ISO 8601 UTC time (…Z)')
    .option('--valid-until <time>', 'accredit: ISO 8601 UTC time (…Z)')
    .action(async (action: string, opts: ProposalFlags & { org: string }) => {
      const input = proposalInput(action, opts);
      const write = await withClient(opts.org, (client) => client.propose(input));
      deps.output(write, () => console.log(writeText('proposed', opts.org, write)));
    });

  command.command('approve <id>')
    .description('approve a proposal as --org\'s admin; the approval that reaches a majority executes it')
    .requiredOption('--org <org>', 'the approving member org (its own admin identity signs)')
    .action(async (id: string, opts: { org: string }) => {
      const checked = proposalId(id);
      const write = await withClient(opts.org, (client) => client.approve(checked));
      deps.output(write, () => console.log(writeText('approved', opts.org, write)));
    });

  command.command('list')
    .description('governance proposals, newest first')
    .addOption(new Option('--status <status>', 'only open or executed proposals').choices([...PROPOSAL_STATUSES]))
    .addOption(readOrg)
    .action(async (opts: { status?: ProposalStatus; org?: string }) => {
      const proposals = await withClient(opts.org, (client) => client.proposals(opts.status));
      deps.output({ proposals }, () => console.log(proposalsText(proposals)));
    });

  command.command('show <id>')
    .description('one proposal with its payload and approvals')
    .addOption(readOrg)
    .action(async (id: string, opts: { org?: string }) => {
      const checked = proposalId(id);
      const proposal = await withClient(opts.org, (client) => client.proposal(checked));
      deps.output(proposal, () => console.log(proposalText(proposal)));
    });

  command.command('members')
    .description('the registry\'s member orgs, their roles and status')
    .addOption(readOrg)
    .action(async (opts: { org?: string }) => {
      const members = await withClient(opts.org, (client) => client.members());
      deps.output({ members }, () => console.log(membersText(members)));
    });

  command.command('accreditations')
    .description('every certifier\'s accreditation and scope, active or revoked')
    .addOption(readOrg)
    .action(async (opts: { org?: string }) => {
      const accreditations = await withClient(opts.org, (client) => client.accreditations());
      deps.output({ accreditations }, () => console.log(accreditationsText(accreditations)));
    });

  command.command('rule-sets')
    .description('the consortium banking rule set versions with their hashes, and the one in force')
    .addOption(readOrg)
    .action(async (opts: { org?: string }) => {
      const ruleSets = await withClient(opts.org, (client) => client.ruleSets());
      const current = inForce(ruleSets);
      deps.output({ ruleSets, inForce: current ?? null }, () => console.log(ruleSetsText(ruleSets, current)));
    });

  return command;
}
