import path from 'node:path';
import { Option, type Command } from 'commander';
import { createNetwork, type Network } from '../network';
import { ensureSessionCertificates } from '../sessionCertificates';
import { ORG_ROLES, type OrgRole } from '../networkConfig';
import type { Progress } from '../progress';
import { networkActingOrg } from './actingOrg';
import { fetchChannelConfig, memberMspIds } from './channelConfigFetch';
import { signConfigUpdate, parseConfigSignature } from './configSignature';
import { initOrg } from './orgInit';
import { readOrgDefinition } from './orgDefinition';
import { computeAddOrgUpdate, computeRemoveOrgUpdate } from './orgUpdates';
import { joinOrg } from './orgJoin';
import { orgNode, startOrgPeer, stopOrgPeer } from './orgPeer';
import { hostPort } from '../hosts/hostAddress';
import { NetworkError } from '../errors';
import { removalDryRun } from './removalDryRun';
import { submitConfigUpdate } from './submitUpdate';
import { describeUpdate, type UpdateSummary } from './updateSummary';
import { readInputFile, writeOutputFile } from './inputFiles';

/** What the membership commands need from the CLI around them. */
export interface CommandContext {
  network(): Network;
  output(json: unknown, human: () => void): void;
  progress(): Progress;
  parsePort(value: string): number;
}

/** The membership part of `sign`'s one-line summary. */
function membersLine(summary: UpdateSummary): string {
  if (!summary.changesMembers) return '';
  const moves = [summary.added.length > 0 ? `adds ${summary.added.join(', ')}` : '', summary.removed.length > 0 ? `removes ${summary.removed.join(', ')}` : ''].filter(Boolean).join('; ');
  return ` (members after: ${summary.membersAfter.join(', ')}; ${moves})`;
}

/** The org a command acts as: only that org's admin key is read. */
const actingOrgOption = () => new Option('--org <org>', 'the org this run acts as (its admin key only), by name or MSP ID').makeOptionMandatory();

async function acting(ctx: CommandContext, orgName: string) {
  const network = ctx.network();
  const fabric = await network.fabric(ctx.progress());
  return { network, fabric, actor: networkActingOrg(network.config, network.layout, fabric, orgName) };
}

/** `kyc-network org …` and `kyc-network channel …`: adding and removing member orgs. */
export function registerMembershipCommands(program: Command, ctx: CommandContext): void {
  const org = program.commands.find((c) => c.name() === 'org') ?? program.command('org').description('an organisation\'s own material and membership');
  org.command('init <name>')
    .description('make this org\'s MSP, TLS, admin, user and peer identities here, alone, and the definition (certificates only) to hand to the consortium')
    .requiredOption('--msp-id <id>', 'the org\'s MSP ID, e.g. Bank3MSP')
    .requiredOption('--domain <domain>', 'the org\'s domain, e.g. bank3.example.com')
    .requiredOption('--host <address>', 'where the org\'s peer is reached by the other orgs')
    .option('--peer-port <port>', 'the peer\'s gRPC port', ctx.parsePort, 7051)
    .addOption(new Option('--role <role>', 'the org\'s role in the member registry').choices([...ORG_ROLES]).default('bank'))
    .option('--out <dir>', 'the org\'s own directory (default ./<name>)')
    .action(async (name: string, opts: { mspId: string; domain: string; host: string; peerPort: number; role: OrgRole; out?: string }) => {
      const fabric = await ctx.network().fabric(ctx.progress());
      const { dir, definition } = await initOrg({ name, mspId: opts.mspId, domain: opts.domain, role: opts.role, host: opts.host, peerPort: opts.peerPort, out: opts.out ?? name }, fabric);
      ctx.output({ dir: dir.root, definitionFile: dir.definitionFile, mspId: definition.mspId, anchorPeer: definition.anchorPeer }, () => {
        console.log(`${definition.mspId}: keys in ${dir.cryptoDir} (they stay there)`);
        console.log(`hand over ${dir.definitionFile} (certificates only) to a member admin: kyc-network channel add-org ${dir.definitionFile} --org <their org> --out update.pb`);
      });
    });

  org.command('start <dir>')
    .description('start the nodes of an org made by `org init` (its own directory, its own keys): its peer, and once it has joined and the chaincode is committed, its REST gateway (a bank also publishes its session certificate)')
    .action(async (dir: string) => {
      const network = ctx.network();
      const progress = ctx.progress();
      const node = orgNode(dir, network.config);
      await startOrgPeer(node, await network.fabric(progress));
      // The org's own one-org network: `up --org` starts its gateway only once its peer serves the chaincode.
      const up = await createNetwork(node.net).upOrgs([node.org.name], progress);
      const skipped = [...up.skipped];
      const published: string[] = [];
      if (node.org.role === 'bank' && up.gateways.length > 0) {
        try {
          published.push(...(await ensureSessionCertificates(node.net, node.layout)));
        } catch (error) {
          // Only an active member of the registry may publish one (governance `addMember` first).
          skipped.push({ step: 'session certificate', reason: `not published: ${(error as Error).message}; run \`org start\` again once ${node.org.mspId} is a registry member` });
        }
      }
      const result = { peer: node.peer.id, address: hostPort(node.peer.host, node.peer.port), gateways: up.gateways, sessionCertificatePublished: published, skipped, log: node.layout.nodeLog(node.peer.id) };
      ctx.output(result, () => {
        console.log(`${node.peer.id} serves ${hostPort(node.peer.host, node.peer.port)} (log ${result.log})`);
        for (const g of up.gateways) console.log(`gateway ${g.org}: ${g.url} (API key ${g.apiKey}, admin key ${g.adminApiKey})`);
        for (const s of skipped) console.log(`skipped ${s.step}: ${s.reason}`);
      });
    });

  org.command('stop <dir>')
    .description('stop the nodes of an org made by `org init` (its gateway and its peer)')
    .action(async (dir: string) => {
      const network = ctx.network();
      const node = orgNode(dir, network.config);
      await createNetwork(node.net).down(ctx.progress(), [node.org.name]);
      const result = await stopOrgPeer(node);
      ctx.output({ peer: node.peer.id, result }, () => console.log(`${node.peer.id} ${result}`));
    });

  org.command('join <dir>')
    .description('as the org of <dir>, with its own key: fetch block 0, join its peer, set its anchor peer, install and approve the committed chaincode')
    .requiredOption('--orderer <host:port>', 'an orderer of the channel')
    .requiredOption('--orderer-ca <file>', 'the orderer org\'s TLS CA certificate')
    .option('--label <label>', 'the label the committed chaincode package was built with (default: <name>_<package.json version>; see `chaincode status`)')
    .action(async (dir: string, opts: { orderer: string; ordererCa: string; label?: string }) => {
      const network = ctx.network();
      const progress = ctx.progress();
      const fabric = await network.fabric(progress);
      const node = orgNode(dir, network.config);
      await startOrgPeer(node, fabric);
      const result = await joinOrg(node, fabric, { orderer: opts.orderer, ordererCa: opts.ordererCa, chaincode: { name: network.config.chaincode.name, path: network.config.chaincode.path, ...(opts.label !== undefined && { label: opts.label }) } }, progress);
      ctx.output(result, () => console.log(`${node.definition.mspId} in ${result.channel}: peer ${result.joined}, anchor peer ${result.anchorPeer}, chaincode ${result.chaincode.name} sequence ${result.chaincode.sequence} ${result.chaincode.approval}`));
    });

  const channel = program.command('channel').description('channel config updates: computed by one org, signed by each admin with its own key, submitted once the admin policy is met');
  channel.command('config')
    .description('the channel\'s current config: sequence, hash and member orgs')
    .addOption(actingOrgOption())
    .action(async (opts: { org: string }) => {
      const { fabric, actor } = await acting(ctx, opts.org);
      const current = await fetchChannelConfig(fabric, actor);
      const summary = { channel: current.channel, blockNumber: current.blockNumber, sequence: current.sequence, hash: current.hash, members: memberMspIds(current.config) };
      ctx.output(summary, () => console.log(`channel ${summary.channel}: config sequence ${summary.sequence} (block ${summary.blockNumber}, sha256 ${summary.hash}); members ${summary.members.join(', ')}`));
    });

  channel.command('add-org <definition>')
    .description('compute the config update adding the org of <definition> (from `org init`) on the current channel config')
    .addOption(actingOrgOption())
    .requiredOption('--out <file>', 'where to write the update (protobuf ConfigUpdate) to be signed')
    .action(async (file: string, opts: { org: string; out: string }) => {
      const { fabric, actor } = await acting(ctx, opts.org);
      const definition = readOrgDefinition(file);
      const { update, base } = await computeAddOrgUpdate(fabric, actor, definition);
      await writeOutputFile(opts.out, update, 'the update');
      ctx.output({ update: path.resolve(opts.out), adds: definition.mspId, base }, () =>
        console.log(`${opts.out}: adds ${definition.mspId} to ${base.channel} (computed on config sequence ${base.sequence}); each admin signs it: kyc-network channel sign ${opts.out} --org <org> --out <org>.sig`));
    });

  const removeOrg = channel.command('remove-org <mspId>')
    .description('compute the config update removing an org; --dry-run shows whether the remaining orgs still meet every channel, lifecycle and endorsement policy')
    .addOption(actingOrgOption())
    .option('--out <file>', 'where to write the update (required without --dry-run)')
    .option('--dry-run', 'change nothing: list every policy and whether it stays satisfiable')
    .action(async (mspId: string, opts: { org: string; out?: string; dryRun?: boolean }) => {
      const { network, fabric, actor } = await acting(ctx, opts.org);
      const report = await removalDryRun(fabric, actor, mspId, network.config.chaincode.name);
      if (opts.dryRun) {
        ctx.output(report, () => {
          console.log(`removing ${mspId} from ${report.channel}: members ${report.membersBefore.length} → ${report.membersAfter.length} (${report.membersAfter.join(', ')})`);
          for (const p of report.policies) {
            const counts = p.neededAfter === undefined ? '' : ` needs ${p.neededBefore} → ${p.neededAfter} of ${p.availableAfter}`;
            console.log(`  ${p.satisfiable ? 'ok  ' : 'FAIL'} ${p.policy} (${p.rule})${counts}${p.note ? ` — ${p.note}` : ''}`);
          }
          console.log(report.safe ? 'every policy stays satisfiable' : 'NOT safe: some policy could no longer be met');
        });
        return;
      }
      const out = opts.out ?? removeOrg.error('error: --out <file> is required without --dry-run', { exitCode: 2 });
      const { update, base } = await computeRemoveOrgUpdate(fabric, actor, mspId);
      await writeOutputFile(out, update, 'the update');
      ctx.output({ update: path.resolve(out), removes: mspId, base, dryRun: report }, () =>
        console.log(`${out}: removes ${mspId} from ${base.channel} (computed on config sequence ${base.sequence}${report.safe ? '' : '; WARNING: the dry run found policies that could no longer be met'})`));
    });

  channel.command('sign <update>')
    .description('check and show what a config update changes, then sign it with this org\'s admin key: a detached signature file to hand to the submitter')
    .addOption(actingOrgOption())
    .requiredOption('--out <file>', 'where to write the signature')
    .option('--allow-other-changes', 'sign even an update that does more than add or remove one member org')
    .action(async (file: string, opts: { org: string; out: string; allowOtherChanges?: boolean }) => {
      const { fabric, actor } = await acting(ctx, opts.org);
      const update = await readInputFile(file, 'the update');
      const current = await fetchChannelConfig(fabric, actor);
      const summary = await describeUpdate(fabric, update, current.config, { allowOtherChanges: opts.allowOtherChanges === true });
      if (summary.channel !== current.channel) throw new NetworkError('CONFIG_UPDATE_INVALID', `the update is for channel ${summary.channel}, not ${current.channel}`);
      const signature = await signConfigUpdate(update, actor.mspId, actor.adminMsp);
      await writeOutputFile(opts.out, signature, 'the signature');
      ctx.output({ signature: path.resolve(opts.out), signer: actor.mspId, update: summary }, () => {
        console.log(`${opts.out}: ${actor.mspId} signed the update of ${summary.channel}${membersLine(summary)}`);
        for (const c of summary.changes) console.log(`  ${c.change} ${c.kind} ${c.path}`);
      });
    });

  channel.command('submit <update>')
    .description('check the signatures against the channel admin policy, then submit the update (this org\'s signature is added)')
    .addOption(actingOrgOption())
    .requiredOption('--signatures <files...>', 'detached signature files from `channel sign`')
    .option('--force', 'submit even when the signatures counted do not meet the policy (the orderer decides)')
    .option('--allow-other-changes', 'submit even an update that does more than add or remove one member org')
    .action(async (file: string, opts: { org: string; signatures: string[]; force?: boolean; allowOtherChanges?: boolean }) => {
      const { fabric, actor } = await acting(ctx, opts.org);
      const update = await readInputFile(file, 'the update');
      const signatures = await Promise.all(opts.signatures.map(async (source) => ({ source, bytes: await readInputFile(source, 'the signature') })));
      for (const s of signatures) parseConfigSignature(s.bytes, s.source);
      const result = await submitConfigUpdate(fabric, actor, update, signatures, { force: opts.force === true, allowOtherChanges: opts.allowOtherChanges === true });
      ctx.output({ submitted: true, ...result }, () =>
        console.log(`submitted to ${result.channel}: signed by ${result.signedBy.join(', ')} (${result.requirement.policy} needs ${result.requirement.needed})`));
    });
}
